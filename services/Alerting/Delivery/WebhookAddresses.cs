using System.Net;
using System.Net.Sockets;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// Which addresses a webhook may not reach: everything that is not a public unicast address on the internet, so
/// that a subscription cannot make the hub probe its own host or network (loopback, private and link-local
/// ranges, the cloud metadata address 169.254.169.254, CGNAT, multicast, reserved space). IPv6 forms that carry
/// an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by the IPv4 address they lead to.
/// </summary>
internal static class WebhookAddresses
{
    private static readonly (IPNetwork Range, string Kind)[] V4 =
    [
        (IPNetwork.Parse("255.255.255.255/32"), "broadcast"),
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (CGNAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved"),
        (IPNetwork.Parse("192.0.2.0/24"), "reserved"),
        (IPNetwork.Parse("192.88.99.0/24"), "reserved"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved"),
        (IPNetwork.Parse("198.51.100.0/24"), "reserved"),
        (IPNetwork.Parse("203.0.113.0/24"), "reserved"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
    ];

    private static readonly (IPNetwork Range, string Kind)[] V6 =
    [
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        // IPv4-compatible addresses (deprecated): no receiver has one.
        (IPNetwork.Parse("::/96"), "reserved"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "reserved"),
        (IPNetwork.Parse("100::/64"), "reserved"),
        (IPNetwork.Parse("2001::/32"), "reserved"),
        (IPNetwork.Parse("2001:db8::/32"), "reserved"),
        (IPNetwork.Parse("fc00::/7"), "private"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "private"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>What kind of internal address this is ("loopback", "private", ...), or null for a public one.</summary>
    public static string? Kind(IPAddress address)
    {
        address = Canonical(address);
        if (address.AddressFamily == AddressFamily.InterNetwork) return Match(V4, address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return "reserved";
        if (Match(V6, address) is { } kind) return kind;
        var bytes = address.GetAddressBytes();
        // NAT64 and 6to4 hand the packet on to the IPv4 address inside: that one decides.
        if (Nat64.Contains(address)) return Kind(new IPAddress(bytes.AsSpan(12, 4)));
        if (SixToFour.Contains(address)) return Kind(new IPAddress(bytes.AsSpan(2, 4)));
        return null;
    }

    public static bool IsInternal(IPAddress address) => Kind(address) is not null;

    /// <summary>An IPv4-mapped IPv6 address as the IPv4 address it is (the socket connects to that one), without a scope.</summary>
    public static IPAddress Canonical(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes())
        : address;

    private static string? Match((IPNetwork Range, string Kind)[] table, IPAddress address)
    {
        foreach (var (range, kind) in table)
            if (range.Contains(address)) return kind;
        return null;
    }
}
