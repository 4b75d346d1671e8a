using System.ComponentModel.DataAnnotations;
using EarlyWarning.ServiceDefaults.Management;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EarlyWarning.UnitTests;

public sealed class ManagementPortTests
{
    private static List<ValidationResult> Validate(ManagementOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    private static IReadOnlyList<string> ApiUrls(params (string Key, string Value)[] settings) =>
        ManagementPort.ApiUrls(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Without_a_port_the_options_are_refused_naming_the_setting()
    {
        var error = Assert.Single(Validate(new ManagementOptions()));
        Assert.StartsWith("Management:Port must be set", error.ErrorMessage);
    }

    [Fact]
    public void The_address_is_loopback_unless_set() =>
        Assert.Equal("http://127.0.0.1:5151", new ManagementOptions { Port = 5151 }.Url);

    [Theory]
    [InlineData("0.0.0.0", "http://0.0.0.0:9464")]
    [InlineData("::1", "http://[::1]:9464")]
    public void An_ip_address_is_taken_and_written_as_a_url(string address, string url)
    {
        var options = new ManagementOptions { Port = 9464, Address = address };
        Assert.Empty(Validate(options));
        Assert.Equal(url, options.Url);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("metrics.internal")]
    public void A_host_name_is_refused_as_the_address(string address)
    {
        var error = Assert.Single(Validate(new ManagementOptions { Port = 9464, Address = address }));
        Assert.Contains($"'{address}'", error.ErrorMessage);
        Assert.Equal([nameof(ManagementOptions.Address)], error.MemberNames);
    }

    [Fact]
    public void The_api_urls_are_aspnetcore_urls_when_set() =>
        Assert.Equal(["http://127.0.0.1:5101", "http://[::1]:5101"], ApiUrls(("urls", "http://127.0.0.1:5101; http://[::1]:5101")));

    [Fact]
    public void Without_urls_the_api_listens_on_the_http_and_https_ports_as_kestrel_would() =>
        Assert.Equal(["http://*:8080", "https://*:8443"], ApiUrls(("http_ports", "8080"), ("https_ports", "8443")));

    [Fact]
    public void Without_any_address_the_api_has_kestrels_default() =>
        Assert.Equal(["http://localhost:5000"], ApiUrls());

    [Fact]
    public void Configured_kestrel_endpoints_replace_the_urls_as_they_do_in_kestrel() =>
        Assert.Equal(["https://0.0.0.0:443"], ApiUrls(("urls", "http://127.0.0.1:5101"), ("Kestrel:Endpoints:Https:Url", "https://0.0.0.0:443")));

    private static WebApplicationBuilder Builder(string urls, string port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Configuration["urls"] = urls;
        builder.Configuration["Management:Port"] = port;
        builder.AddManagementPort();
        return builder;
    }

    [Fact]
    public void The_management_url_comes_after_the_api_urls_so_that_the_first_listening_address_stays_the_apis() =>
        // Alerting's CAP links fall back to the first address the server listens on.
        Assert.Equal("http://127.0.0.1:5104;http://127.0.0.1:5154", Builder("http://127.0.0.1:5104", "5154").Configuration["urls"]);

    [Fact]
    public void A_management_port_that_is_also_an_api_port_is_refused_at_start()
    {
        using var app = Builder("http://127.0.0.1:5104", "5104").Build();

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value);
        Assert.Contains("Management:Port must differ from the API's ports (http://127.0.0.1:5104)", error.Message);
    }
}
