using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// Messages a unit of work will publish. They are written to the service's outbox table in the
/// same transaction as the work itself, so either both happen or neither does.
/// </summary>
public sealed class PendingMessages
{
    private readonly List<(Guid Id, string Type, byte[] Body, byte[]? BodyAfterDispatch)> _messages = [];
    private int _flushed;

    /// <summary>Messages of this unit of work, including those already flushed to the outbox.</summary>
    public int Count => _messages.Count + _flushed;

    /// <summary>Queues a message; returns the message id it will be published with (also on any republish).</summary>
    /// <param name="withoutPersonalData">
    /// For a message that carries record-level fields (names, document numbers, birth dates): the same message
    /// without them, which replaces the stored copy as soon as the broker confirms the publish, so that personal
    /// data stays in the outbox only until it is on its way.
    /// </param>
    public Guid Add<T>(T message, T? withoutPersonalData = null) where T : class
    {
        var id = NewId.NextGuid();
        _messages.Add((id, MessageJson.TypeName(typeof(T)), JsonSerializer.SerializeToUtf8Bytes(message, MessageJson.Options),
            withoutPersonalData is null ? null : JsonSerializer.SerializeToUtf8Bytes(withoutPersonalData, MessageJson.Options)));
        return id;
    }

    /// <summary>
    /// Writes the queued messages to the outbox now (still inside the unit of work's transaction) and lets them
    /// go from memory: a unit of work that produces many large messages then holds one at a time.
    /// </summary>
    public async Task FlushAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await WriteAsync(connection, transaction, ct);
        _flushed += _messages.Count;
        _messages.Clear();
    }

    internal async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        if (_messages.Count == 0) return;
        var traceParent = Activity.Current?.Id;
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO outbox (message_id, message_type, body, body_after_dispatch, trace_parent)
            SELECT id, type, body, after, @trace FROM unnest(@ids, @types, @bodies, @after) AS m(id, type, body, after)
            """, connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", _messages.Select(m => m.Id).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("types", _messages.Select(m => m.Type).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<byte[][]>("bodies", _messages.Select(m => m.Body).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<byte[]?[]>("after", _messages.Select(m => m.BodyAfterDispatch).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter("trace", NpgsqlDbType.Text) { Value = (object?)traceParent ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
