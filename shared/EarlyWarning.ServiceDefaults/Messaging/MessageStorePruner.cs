using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// Keeps the inbox and outbox from growing forever: deletes inbox rows older than the duplicate-detection
/// window and outbox rows published longer ago than the outbox retention. Undispatched and set-aside outbox
/// rows are never deleted. A failure (PostgreSQL away) only postpones the next round.
/// </summary>
internal sealed class MessageStorePruner(
    NpgsqlDataSource dataSource,
    IOptions<InboxOptions> inbox,
    IOptions<OutboxOptions> outbox,
    TimeProvider time,
    ILogger<MessageStorePruner> logger) : BackgroundService
{
    private static readonly Meter Meter = new("EarlyWarning.Outbox");
    private static readonly Counter<long> Pruned = Meter.CreateCounter<long>("earlywarning.message_store.pruned", description: "Inbox and outbox rows deleted after their retention");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(inbox.Value.PruneInterval, time);
        do
        {
            await PruneAsync("inbox", "DELETE FROM inbox WHERE processed_at < clock_timestamp() - @retention", inbox.Value.Retention, stoppingToken);
            await PruneAsync("outbox", "DELETE FROM outbox WHERE dispatched_at < clock_timestamp() - @retention", outbox.Value.Retention, stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task PruneAsync(string table, string sql, TimeSpan retention, CancellationToken ct)
    {
        try
        {
            await using var cmd = dataSource.CreateCommand(sql);
            cmd.Parameters.AddWithValue("retention", retention);
            var deleted = await cmd.ExecuteNonQueryAsync(ct);
            if (deleted == 0) return;
            Pruned.Add(deleted, new KeyValuePair<string, object?>("table", table));
            logger.LogInformation("Pruned {Count} {Table} rows older than {Retention}", deleted, table, retention);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(ex, "Pruning {Table} failed; it is tried again at the next round", table);
        }
    }
}
