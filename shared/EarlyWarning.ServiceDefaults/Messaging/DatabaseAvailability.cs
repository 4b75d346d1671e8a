using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// Whether PostgreSQL can be reached, as consumers and readiness see it. The first outage a consumer meets
/// closes the gate: every consumer then waits (holding its messages unacknowledged, taking no new ones)
/// instead of failing batches into the error queue, /health/ready turns red, and a probe reopens the gate
/// as soon as PostgreSQL answers again.
/// </summary>
public sealed class DatabaseAvailability
{
    private static readonly Meter Meter = new("EarlyWarning.Consumers");
    private static readonly Counter<long> Outages = Meter.CreateCounter<long>(
        "earlywarning.consumers.database_outages", description: "Times consumers paused because PostgreSQL was unreachable");

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<DatabaseAvailability> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private TaskCompletionSource _open = Opened();

    public DatabaseAvailability(NpgsqlDataSource dataSource, ILogger<DatabaseAvailability> logger, TimeProvider? time = null)
    {
        _dataSource = dataSource;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        Meter.CreateObservableGauge("earlywarning.consumers.paused", () => IsAvailable ? 0 : 1,
            description: "1 while consumers wait for PostgreSQL to come back");
    }

    public bool IsAvailable => _open.Task.IsCompleted;

    /// <summary>Returns at once while PostgreSQL is available; otherwise when the probe has reached it again.</summary>
    public Task WaitUntilAvailableAsync(CancellationToken ct)
    {
        var open = _open.Task;
        return open.IsCompleted ? Task.CompletedTask : open.WaitAsync(ct);
    }

    /// <summary>Closes the gate (once per outage) and starts probing.</summary>
    public void ReportOutage(Exception exception)
    {
        lock (_lock)
        {
            if (!_open.Task.IsCompleted) return;
            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        Outages.Add(1);
        _logger.LogWarning("PostgreSQL is unreachable ({Reason}); consumers pause until it answers again", exception.GetBaseException().Message);
        _ = ProbeUntilAvailableAsync();
    }

    private async Task ProbeUntilAvailableAsync()
    {
        var since = _time.GetTimestamp();
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _time);
            try
            {
                await using var cmd = _dataSource.CreateCommand("SELECT 1");
                cmd.CommandTimeout = 5;
                await cmd.ExecuteScalarAsync();
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // Still away; probe again.
            }
        }
        // Connections pooled before the outage are broken; without this each would fail once more.
        _dataSource.Clear();
        _logger.LogInformation("PostgreSQL answers again after {Elapsed:F0} s; consumers resume", _time.GetElapsedTime(since).TotalSeconds);
        _open.TrySetResult();
    }

    private static TaskCompletionSource Opened()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }
}
