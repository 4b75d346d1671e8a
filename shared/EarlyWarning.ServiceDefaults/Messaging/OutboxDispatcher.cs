using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// Publishes what transactions committed to the outbox table, with publisher confirms, then marks it
/// dispatched. A crash between the confirm and the mark republishes the same message id on restart,
/// which the consumers' inboxes turn into a no-op. The stored JSON is published as it is (<see cref="OutboxEnvelope"/>),
/// rows in sequence order. A row that can never be published (unknown type, not JSON, larger than the
/// broker takes, or refused again and again while the rows around it go through) is set aside with its
/// reason and no longer holds anything up; operators list and release set-aside rows.
/// </summary>
internal sealed class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    IBus bus,
    BusStarted busStarted,
    OutboxSignal signal,
    ResiliencePipelineProvider resilience,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("EarlyWarning.Outbox");
    private static readonly Meter Meter = new("EarlyWarning.Outbox");
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("earlywarning.outbox.published", description: "Messages published from the outbox");
    private static readonly Counter<long> SetAside = Meter.CreateCounter<long>("earlywarning.outbox.set_aside", description: "Outbox messages set aside because they cannot be published");
    private readonly ConcurrentDictionary<string, (Uri Address, string Urn)?> _destinations = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            await busStarted.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            int taken;
            try
            {
                taken = await resilience.Postgres.ExecuteAsync(DispatchOnceAsync, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The rows stay undispatched; they are retried on the next round.
                logger.LogError(ex, "Outbox dispatch failed; retrying in {Interval}", settings.PollInterval);
                taken = 0;
            }
            if (taken < settings.BatchSize)
                await signal.WaitAsync(settings.PollInterval, stoppingToken);
        }
    }

    private async ValueTask<int> DispatchOnceAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var rows = new List<OutboxRow>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT sequence, message_id, message_type, body, trace_parent, attempts FROM outbox
            WHERE dispatched_at IS NULL AND set_aside_at IS NULL ORDER BY sequence LIMIT @limit FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("limit", options.Value.BatchSize);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5)));
        }
        if (rows.Count == 0) return 0;

        // Started in sequence order on one channel, so the broker receives them in that order.
        var outcomes = await Task.WhenAll(rows.Select(row => TryPublishAsync(row, ct)));
        var published = rows.Where((_, i) => outcomes[i] is null).Select(r => r.Sequence).ToArray();
        // Only a failure beside successes is the row's own; when everything failed, the broker is away.
        var brokerAnswered = published.Length > 0;
        var failures = rows.Select((row, i) => (Row: row, Failure: outcomes[i]))
            .Where(f => f.Failure is { } failure && (failure.Permanent || brokerAnswered)).ToList();

        await using (var update = new NpgsqlCommand(
            // Personal fields leave the table once the broker has confirmed the message.
            """
            UPDATE outbox SET dispatched_at = clock_timestamp(), body = coalesce(body_after_dispatch, body), body_after_dispatch = NULL
            WHERE sequence = ANY(@sequences)
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("sequences", published);
            await update.ExecuteNonQueryAsync(ct);
        }
        var setAside = 0;
        foreach (var (row, failure) in failures)
        {
            var giveUp = failure!.Permanent || row.Attempts + 1 >= options.Value.MaxAttempts;
            await using var fail = new NpgsqlCommand(
                """
                UPDATE outbox SET attempts = attempts + 1, last_error = @error,
                    set_aside_at = CASE WHEN @giveUp THEN clock_timestamp() END
                WHERE sequence = @sequence
                """, connection, transaction);
            fail.Parameters.AddWithValue("error", failure.Reason);
            fail.Parameters.AddWithValue("giveUp", giveUp);
            fail.Parameters.AddWithValue("sequence", row.Sequence);
            await fail.ExecuteNonQueryAsync(ct);
            if (!giveUp) continue;
            setAside++;
            logger.LogError("Outbox message {MessageId} ({Type}) was set aside and will not be retried until released: {Reason}",
                row.MessageId, row.Type, failure.Reason);
        }
        await transaction.CommitAsync(ct);
        Published.Add(published.Length);
        if (setAside > 0) SetAside.Add(setAside);
        if (!brokerAnswered && failures.Count < rows.Count)
            logger.LogWarning("The broker took none of {Count} outbox messages: {Reason}; retrying", rows.Count, outcomes.First(o => o is not null)!.Reason);
        return brokerAnswered || failures.Count > 0 ? rows.Count : 0;
    }

    /// <summary>Null when the broker confirmed the message; otherwise why not, and whether retrying can ever help.</summary>
    private async Task<PublishFailure?> TryPublishAsync(OutboxRow row, CancellationToken ct)
    {
        if (row.Body.Length > options.Value.MaxMessageBytes)
            return new PublishFailure($"the body of {row.Body.Length} bytes is larger than the broker takes ({options.Value.MaxMessageBytes} bytes, Outbox__MaxMessageBytes)", true);
        if (Destination(row.Type) is not var (address, urn))
            return new PublishFailure($"unknown message type '{row.Type}'", true);
        if (!IsJson(row.Body))
            return new PublishFailure("the stored body is not valid JSON", true);

        // Continue the trace of the request or message that wrote the row, so one trace spans every service.
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = ActivitySource.StartActivity("outbox dispatch", ActivityKind.Internal, parent);
        try
        {
            var endpoint = await bus.GetSendEndpoint(address);
            await endpoint.Send(new StoredMessage(row.MessageId, row.Type), context =>
            {
                context.MessageId = row.MessageId;
                context.Serializer = new StoredBodySerializer(urn, row.Body);
            }, ct);
            return null;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return new PublishFailure(ex.GetBaseException().Message, false);
        }
    }

    // The address of the contract's exchange (where Publish would send it) and its MassTransit type name.
    private (Uri Address, string Urn)? Destination(string typeName) => _destinations.GetOrAdd(typeName, name =>
    {
        var type = MessageJson.TryResolveType(name);
        if (type is null || !bus.Topology.TryGetPublishAddress(type, out var address)) return null;
        return (address, MessageUrn.ForTypeString(type));
    });

    private static bool IsJson(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed record OutboxRow(long Sequence, Guid MessageId, string Type, byte[] Body, string? TraceParent, int Attempts);

    private sealed record PublishFailure(string Reason, bool Permanent);
}
