using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// Samples the outbox every few seconds for the gauges operators alert on: how many messages wait, how old
/// the oldest is, and how many are set aside. Sampled rather than queried at scrape time, so a scrape never
/// waits for PostgreSQL; while PostgreSQL is away the last sample stays.
/// </summary>
internal sealed class OutboxMonitor : BackgroundService
{
    private static readonly Meter Meter = new("EarlyWarning.Outbox");
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<OutboxMonitor> _logger;
    private long _pending, _setAside;
    private double _oldestSeconds;

    public OutboxMonitor(NpgsqlDataSource dataSource, ILogger<OutboxMonitor> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        Meter.CreateObservableGauge("earlywarning.outbox.pending", () => Interlocked.Read(ref _pending), "{message}", "Outbox messages committed and not yet published");
        Meter.CreateObservableGauge("earlywarning.outbox.oldest_pending_age", () => Volatile.Read(ref _oldestSeconds), "s", "Age of the oldest outbox message not yet published (0 when none)");
        Meter.CreateObservableGauge("earlywarning.outbox.set_aside_pending", () => Interlocked.Read(ref _setAside), "{message}", "Outbox messages set aside and not released");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var cmd = _dataSource.CreateCommand(
                    """
                    SELECT count(*) FILTER (WHERE set_aside_at IS NULL),
                           coalesce(extract(epoch FROM clock_timestamp() - min(created_at) FILTER (WHERE set_aside_at IS NULL)), 0)::float8,
                           count(*) FILTER (WHERE set_aside_at IS NOT NULL)
                    FROM outbox WHERE dispatched_at IS NULL
                    """);
                await using var reader = await cmd.ExecuteReaderAsync(stoppingToken);
                await reader.ReadAsync(stoppingToken);
                Interlocked.Exchange(ref _pending, reader.GetInt64(0));
                Volatile.Write(ref _oldestSeconds, reader.GetDouble(1));
                Interlocked.Exchange(ref _setAside, reader.GetInt64(2));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                _logger.LogDebug(ex, "Outbox sample failed; keeping the last one");
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
