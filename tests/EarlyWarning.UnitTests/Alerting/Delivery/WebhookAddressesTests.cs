using System.Net;
using EarlyWarning.Alerting.Delivery;

namespace EarlyWarning.UnitTests.Alerting.Delivery;

public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("10.255.255.255", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd12:3456:789a::1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("febf:ffff::1", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("100.64.0.1", "shared (CGNAT)")]
    [InlineData("100.127.255.255", "shared (CGNAT)")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("198.18.0.1", "reserved")]
    [InlineData("192.0.0.8", "reserved")]
    public void Every_internal_range_is_recognized_with_its_kind(string address, string kind) =>
        Assert.Equal(kind, WebhookAddresses.Kind(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.1.2.3", "private")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::ffff:100.64.0.1", "shared (CGNAT)")]
    [InlineData("::ffff:0.0.0.0", "unspecified")]
    [InlineData("::ffff:255.255.255.255", "broadcast")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local")]
    [InlineData("2002:c0a8:0101::1", "private")]
    [InlineData("::7f00:1", "reserved")]
    public void An_IPv6_form_carrying_an_IPv4_address_is_judged_by_that_address(string address, string kind) =>
        Assert.Equal(kind, WebhookAddresses.Kind(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.215.14")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("11.0.0.1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:0808:0808::1")]
    [InlineData("2606:4700:4700::1111")]
    public void A_public_address_just_outside_the_ranges_is_not_internal(string address) =>
        Assert.Null(WebhookAddresses.Kind(IPAddress.Parse(address)));

    [Fact]
    public void A_link_local_address_with_a_zone_is_still_link_local() =>
        Assert.Equal("link-local", WebhookAddresses.Kind(new IPAddress(IPAddress.Parse("fe80::1").GetAddressBytes(), scopeid: 2)));

    [Fact]
    public void The_allow_list_lets_in_listed_addresses_ranges_and_the_mapped_forms_of_them_and_nothing_next_to_them()
    {
        var allowed = WebhookAllowList.Parse(["127.0.0.1", "10.20.0.0/16", "[::1]"]);
        Assert.True(allowed.AllowsAddress(IPAddress.Parse("127.0.0.1")));
        Assert.True(allowed.AllowsAddress(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.True(allowed.AllowsAddress(IPAddress.Parse("10.20.255.1")));
        Assert.True(allowed.AllowsAddress(IPAddress.Parse("::1")));
        Assert.False(allowed.AllowsAddress(IPAddress.Parse("127.0.0.2")));
        Assert.False(allowed.AllowsAddress(IPAddress.Parse("10.21.0.1")));
        Assert.False(allowed.AllowsAddress(IPAddress.Parse("169.254.169.254")));
        Assert.False(allowed.AllowsName("localhost"));
    }

    [Fact]
    public void Host_names_in_the_allow_list_match_without_regard_to_case_or_a_trailing_dot()
    {
        var allowed = WebhookAllowList.Parse(["Receiver.Dev.Internal.", "localhost"]);
        Assert.True(allowed.AllowsName("receiver.dev.internal"));
        Assert.True(allowed.AllowsName("RECEIVER.dev.internal."));
        Assert.True(allowed.AllowsName("localhost."));
        Assert.False(allowed.AllowsName("other.dev.internal"));
        Assert.False(allowed.AllowsAddress(IPAddress.Loopback));
    }

    [Fact]
    public void The_options_refuse_an_allow_list_entry_that_is_neither_a_name_an_address_nor_a_range_and_one_allowing_everything()
    {
        var options = new DeliveryOptions { Webhooks = { SecretKey = "a key of the deployment, long enough" } };
        Assert.Empty(options.Problems());
        Assert.Empty(options.Webhooks.AllowedHosts);
        options.Webhooks.AllowedHosts = ["127.0.0.1", "::1", "10.0.0.0/8", "localhost", "receiver.dev.internal", "not a host", "10.0.0.0/33", "", "0.0.0.0/0", "http://x/"];
        var problems = options.Problems();
        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Delivery:Webhooks:AllowedHosts:5 'not a host'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Delivery:Webhooks:AllowedHosts:6 '10.0.0.0/33'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Delivery:Webhooks:AllowedHosts:7 ''", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Delivery:Webhooks:AllowedHosts:8 '0.0.0.0/0' would allow every address", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Delivery:Webhooks:AllowedHosts:9 'http://x/'", StringComparison.Ordinal));
    }
}
