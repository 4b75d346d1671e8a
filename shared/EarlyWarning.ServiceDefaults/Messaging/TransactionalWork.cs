using Npgsql;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// Runs a unit of work in one PostgreSQL transaction together with its outgoing messages (outbox)
/// and, for consumers, the record that the incoming message was processed (inbox).
/// </summary>
public sealed class TransactionalWork(NpgsqlDataSource dataSource, OutboxSignal signal)
{
    /// <summary>Runs <paramref name="work"/> and commits its messages with it.</summary>
    public async Task ExecuteAsync(Func<NpgsqlConnection, NpgsqlTransaction, PendingMessages, Task> work, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var messages = new PendingMessages();
        await work(connection, transaction, messages);
        await messages.WriteAsync(connection, transaction, ct);
        await transaction.CommitAsync(ct);
        if (messages.Count > 0) signal.Notify();
    }

    /// <summary>
    /// Runs <paramref name="work"/> unless <paramref name="consumer"/> already processed <paramref name="messageId"/>.
    /// Returns false for a duplicate. A concurrent duplicate waits on the inbox row's lock and then sees it.
    /// </summary>
    public async Task<bool> ExecuteOnceAsync(
        Guid messageId,
        string consumer,
        Func<NpgsqlConnection, NpgsqlTransaction, PendingMessages, Task> work,
        CancellationToken ct)
    {
        var processed = false;
        await ExecuteAsync(async (connection, transaction, messages) =>
        {
            await using var cmd = new NpgsqlCommand(
                "INSERT INTO inbox (message_id, consumer) VALUES (@id, @consumer) ON CONFLICT DO NOTHING",
                connection, transaction);
            cmd.Parameters.AddWithValue("id", messageId);
            cmd.Parameters.AddWithValue("consumer", consumer);
            if (await cmd.ExecuteNonQueryAsync(ct) == 0) return;
            await work(connection, transaction, messages);
            processed = true;
        }, ct);
        return processed;
    }
}
