using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// Starts the bus only after every hosted service, the web server included, has started, and stops it first.
/// MassTransit's own hosted service starts consuming before Kestrel binds its port: when binding then fails
/// (the port is taken), the host stops under consumers that already hold messages and their disposed scopes
/// fault those messages into <c>_error</c>. Started here, a service that cannot start never takes a message.
/// </summary>
internal sealed class BusAfterStartup(IBusControl bus, BusStarted started, IOptions<MassTransitHostOptions> options) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Value.StartTimeout is { } limit) timeout.CancelAfter(limit);
        await bus.StartAsync(timeout.Token);
        started.Set();
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Value.StopTimeout is { } limit) timeout.CancelAfter(limit);
        await bus.StopAsync(timeout.Token);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Completes once the bus has started, for work that publishes (the outbox dispatcher) and must not run before it.</summary>
internal sealed class BusStarted
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => _started.TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => _started.Task.WaitAsync(cancellationToken);
}
