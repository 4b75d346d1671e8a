using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace EarlyWarning.ServiceDefaults.Telemetry;

/// <summary>Resolves the SDK at start-up so that its listeners are attached before the first request or message.</summary>
internal sealed class TelemetryStarter(OpenTelemetrySdk sdk) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(sdk);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
