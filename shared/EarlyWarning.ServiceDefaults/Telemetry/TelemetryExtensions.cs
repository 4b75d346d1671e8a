using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace EarlyWarning.ServiceDefaults.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>The ActivitySources and Meters every service exports: MassTransit's, ASP.NET Core's, Npgsql's, ours.</summary>
    private static readonly string[] Sources = ["MassTransit", "Microsoft.AspNetCore", "Npgsql", "EarlyWarning.*"];
    private static readonly string[] Meters = ["MassTransit", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql", "EarlyWarning.*"];

    /// <summary>
    /// Traces are always recorded, so that every stored row and alert carries the trace id of the request
    /// that caused it; traces and metrics are exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    /// </summary>
    public static void AddEarlyWarningTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var export = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        // OpenTelemetry.Extensions.Hosting is not available here; the SDK object is owned by the
        // container, so disposing the host flushes and shuts the exporters down.
        services.AddSingleton(_ => OpenTelemetrySdk.Create(builder =>
        {
            builder.ConfigureResource(resource => resource.AddService(serviceName))
                .WithTracing(tracing => tracing.AddSource(Sources));
            if (export) builder.WithMetrics(metrics => metrics.AddMeter(Meters)).UseOtlpExporter();
        }));
        services.AddHostedService<TelemetryStarter>();
    }
}
