using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// Publishes what transactions committed to the outbox table, with publisher confirms, then marks it
/// dispatched. A crash between the confirm and the mark republishes the same message id on restart,
/// which the consumers' inboxes turn into a no-op.
/// </summary>
internal sealed class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    IBus bus,
    OutboxSignal signal,
    ResiliencePipelineProvider resilience,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("EarlyWarning.Outbox");
    private static readonly Meter Meter = new("EarlyWarning.Outbox");
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("earlywarning.outbox.published", description: "Messages published from the outbox");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var nextPurge = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (DateTime.UtcNow >= nextPurge)
            {
                await PurgeAsync(settings.Retention, stoppingToken);
                nextPurge = DateTime.UtcNow.AddMinutes(10);
            }
            int dispatched;
            try
            {
                dispatched = await resilience.Postgres.ExecuteAsync(DispatchOnceAsync, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The rows stay undispatched; they are retried on the next round.
                logger.LogError(ex, "Outbox dispatch failed; retrying in {Interval}", settings.PollInterval);
                dispatched = 0;
            }
            if (dispatched < settings.BatchSize)
                await signal.WaitAsync(settings.PollInterval, stoppingToken);
        }
    }

    /// <summary>Deletes messages published longer ago than the retention; a failure only postpones it.</summary>
    private async Task PurgeAsync(TimeSpan retention, CancellationToken ct)
    {
        try
        {
            await using var cmd = dataSource.CreateCommand("DELETE FROM outbox WHERE dispatched_at < now() - @retention");
            cmd.Parameters.AddWithValue("retention", retention);
            var deleted = await cmd.ExecuteNonQueryAsync(ct);
            if (deleted > 0) logger.LogInformation("Deleted {Count} outbox messages published more than {Retention} ago", deleted, retention);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(ex, "Outbox purge failed; it is tried again later");
        }
    }

    private async ValueTask<int> DispatchOnceAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var rows = new List<(long Sequence, Guid MessageId, string Type, byte[] Body, string? TraceParent)>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT sequence, message_id, message_type, body, trace_parent FROM outbox
            WHERE dispatched_at IS NULL ORDER BY sequence LIMIT @limit FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("limit", options.Value.BatchSize);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add((reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        if (rows.Count == 0) return 0;

        await Task.WhenAll(rows.Select(row => PublishAsync(row.MessageId, row.Type, row.Body, row.TraceParent, ct)));

        await using (var update = new NpgsqlCommand(
            // Personal fields leave the table once the broker has confirmed the message.
            """
            UPDATE outbox SET dispatched_at = clock_timestamp(), body = coalesce(body_after_dispatch, body), body_after_dispatch = NULL
            WHERE sequence = ANY(@sequences)
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("sequences", rows.Select(r => r.Sequence).ToArray());
            await update.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        Published.Add(rows.Count);
        return rows.Count;
    }

    private async Task PublishAsync(Guid messageId, string typeName, byte[] body, string? traceParent, CancellationToken ct)
    {
        // Continue the trace of the request or message that wrote the row, so one trace spans every service.
        ActivityContext.TryParse(traceParent, null, out var parent);
        using var activity = ActivitySource.StartActivity("outbox dispatch", ActivityKind.Internal, parent);
        var type = MessageJson.ResolveType(typeName);
        var message = JsonSerializer.Deserialize(body, type, MessageJson.Options)
            ?? throw new InvalidOperationException($"Outbox message {messageId} has an empty body");
        await bus.Publish(message, type, context => context.MessageId = messageId, ct);
    }
}
