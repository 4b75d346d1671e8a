using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EarlyWarning.ServiceDefaults.Management;

internal static class ManagementPort
{
    /// <summary>
    /// Kestrel listens on the management endpoint besides the API's addresses (ASPNETCORE_URLS, or Kestrel:Endpoints
    /// when set); endpoints marked with <see cref="RequireManagementPort{T}"/> answer there alone, and others never there.
    /// </summary>
    public static void AddManagementPort(this WebApplicationBuilder builder)
    {
        var api = ApiUrls(builder.Configuration);
        var apiPorts = api.Select(PortOf).ToHashSet();
        builder.Services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.Section).ValidateDataAnnotations()
            .Validate(o => !apiPorts.Contains(o.Port), $"Management:Port must differ from the API's ports ({string.Join(";", api)})")
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ManagementPortPolicy>());

        // Invalid options stop the service at start (above); until then there is nothing to listen on.
        var options = builder.Configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new();
        if (options.Port is < 1 or > 65535 || !System.Net.IPAddress.TryParse(options.Address, out _)) return;
        // Kestrel binds either its configured endpoints or the URLs, never both, and listening in code would drop the URLs.
        if (UsesKestrelEndpoints(builder.Configuration)) builder.Configuration["Kestrel:Endpoints:Management:Url"] = options.Url;
        else builder.WebHost.UseUrls([.. api, options.Url]);
    }

    /// <summary>Serves the endpoint on the management port alone (404 on the API's).</summary>
    public static TBuilder RequireManagementPort<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(ManagementEndpoint.Instance);

    /// <summary>Where the API listens, as Kestrel would decide it from the configuration (its default last).</summary>
    internal static IReadOnlyList<string> ApiUrls(IConfiguration configuration)
    {
        if (UsesKestrelEndpoints(configuration))
            return [.. configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>()];
        if (Split(configuration["urls"]) is { Length: > 0 } urls) return urls;
        string[] ports = [.. Split(configuration["http_ports"]).Select(p => $"http://*:{p}"), .. Split(configuration["https_ports"]).Select(p => $"https://*:{p}")];
        return ports.Length > 0 ? ports : ["http://localhost:5000"];
    }

    private static bool UsesKestrelEndpoints(IConfiguration configuration) =>
        configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(e => e.Key != "Management");

    private static string[] Split(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int PortOf(string url)
    {
        try { return BindingAddress.Parse(url).Port; }
        catch (FormatException) { return 0; }
    }
}

/// <summary>Marks an endpoint of the management port.</summary>
internal sealed class ManagementEndpoint
{
    public static readonly ManagementEndpoint Instance = new();
}
