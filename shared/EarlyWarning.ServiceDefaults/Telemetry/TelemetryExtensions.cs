using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EarlyWarning.ServiceDefaults.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>The ActivitySources and Meters every service exports besides the instrumentation packages': MassTransit's and ours.</summary>
    private static readonly string[] Sources = ["MassTransit", "EarlyWarning.*"];
    private static readonly string[] Meters = ["MassTransit", "EarlyWarning.*"];

    /// <summary>
    /// OpenTelemetry the standard way (OpenTelemetry.Extensions.Hosting): traces are always recorded, so that
    /// every stored row and alert carries the trace id of the request that caused it; metrics are always
    /// collected and served to Prometheus on /metrics; traces, metrics and logs go out over OTLP when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads the standard OTEL_* variables itself).
    /// </summary>
    public static void AddEarlyWarningTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        var export = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(Sources)
                // Probes and scrapes every few seconds would drown the traces that matter.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperatorEndpoint(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());
        if (export) telemetry.UseOtlpExporter();
    }

    /// <summary>The Prometheus scrape endpoint, /metrics.</summary>
    public static IEndpointConventionBuilder MapMetricsEndpoint(this WebApplication app) => app.MapPrometheusScrapingEndpoint();

    private static bool IsOperatorEndpoint(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
