using System.Diagnostics;
using EarlyWarning.Contracts;
using EarlyWarning.ServiceDefaults.Messaging;
using Npgsql;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>Accepted submission, as answered to the authority.</summary>
public sealed record SubmissionReceipt(Guid SubmissionId, string ReportingCountry, int Observations, int Batches, DateTimeOffset AcceptedAt, string? TraceId);

/// <summary>A submission found by its idempotency key, with the hash of the content it was accepted for.</summary>
internal sealed record StoredSubmission(SubmissionReceipt Receipt, byte[] ContentSha256);

/// <summary>
/// Stores a submission's rows and its outgoing batches in the request's transaction: once that commits, the
/// submission will reach Anonymization even if the process dies right after. Also finds submissions again.
/// </summary>
internal sealed class SubmissionStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Stores a submission whose rows are staged (and valid) in the request's transaction: the submission,
    /// its rows, and one outbox message per batch, written batch by batch so that memory stays flat however
    /// large the file. Nothing is visible until the caller commits.
    /// </summary>
    public static async Task<SubmissionReceipt> StoreAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, PendingMessages messages, SubmissionStaging staging,
        string country, string format, int batchSize, (string Key, byte[] Sha256)? idempotency, CancellationToken ct)
    {
        var submissionId = Guid.CreateVersion7();
        var acceptedAt = DateTimeOffset.UtcNow;
        var traceId = Activity.Current?.TraceId.ToString();
        var rows = staging.Count;
        var batchCount = (rows + batchSize - 1) / batchSize;
        await staging.CompleteAsync(ct);

        long version;
        await using (var next = new NpgsqlCommand("SELECT nextval('submission_version')", connection, transaction))
            version = (long)(await next.ExecuteScalarAsync(ct))!;
        await using (var cmd = new NpgsqlCommand(
            $"""
            INSERT INTO submissions (submission_id, reporting_country, format, observation_count, batch_count, accepted_at, trace_id, idempotency_key, content_sha256, version)
            VALUES (@id, @country, @format, @count, @batches, @accepted, @trace, @key, @sha256, @version);
            INSERT INTO observations (submission_id, line, period, border_point, nationality, category, sex, age_group, count, cell_id, deleted)
            SELECT @id, line, period, border_point, nationality, category, sex, age_group, count, cell_id, deleted FROM {SubmissionStaging.Table};
            """, connection, transaction))
        {
            cmd.Parameters.AddWithValue("id", submissionId);
            cmd.Parameters.AddWithValue("country", country);
            cmd.Parameters.AddWithValue("format", format);
            cmd.Parameters.AddWithValue("count", rows);
            cmd.Parameters.AddWithValue("batches", batchCount);
            cmd.Parameters.AddWithValue("accepted", acceptedAt);
            cmd.Parameters.AddWithValue("trace", (object?)traceId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("key", (object?)idempotency?.Key ?? DBNull.Value);
            cmd.Parameters.AddWithValue("sha256", (object?)idempotency?.Sha256 ?? DBNull.Value);
            cmd.Parameters.AddWithValue("version", version);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        // Messages go to the outbox every few thousand rows: memory stays bounded, round trips stay few.
        var number = 0;
        var unflushedRows = 0;
        await foreach (var batch in staging.BatchesAsync(version, batchSize, ct))
        {
            var message = new ObservationsSubmitted(submissionId, country, ++number, batchCount, acceptedAt, batch);
            messages.Add(message, WithoutPersonalFields(message));
            if ((unflushedRows += batch.Length) < SubmissionStaging.RowsPerFetch) continue;
            await messages.FlushAsync(connection, transaction, ct);
            unflushedRows = 0;
        }
        return new SubmissionReceipt(submissionId, country, rows, batchCount, acceptedAt, traceId);
    }

    /// <summary>The batch as the outbox keeps it once published (null when it has no personal fields to clear).</summary>
    internal static ObservationsSubmitted? WithoutPersonalFields(ObservationsSubmitted batch) =>
        batch.Observations.Any(o => o.PersonalFields is { Count: > 0 })
            ? batch with { Observations = [.. batch.Observations.Select(o => o with { PersonalFields = null })] }
            : null;

    /// <summary>Whether an exception is the idempotency key's unique index refusing a second submission with the key.</summary>
    public static bool IsIdempotencyKeyTaken(Exception ex) =>
        ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "submissions_country_idempotency_key" };

    /// <summary>The submission of <paramref name="country"/> accepted with this key: keys are per publishing country.</summary>
    public async Task<StoredSubmission?> FindByIdempotencyKeyAsync(string country, string key, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT submission_id, reporting_country, observation_count, batch_count, accepted_at, trace_id, content_sha256
            FROM submissions WHERE reporting_country = @country AND idempotency_key = @key
            """);
        cmd.Parameters.AddWithValue("country", country);
        cmd.Parameters.AddWithValue("key", key);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new StoredSubmission(ReadReceipt(reader), reader.GetFieldValue<byte[]>(6));
    }

    /// <summary>
    /// The submission as accepted and how far each of its batches has gone: still in Ingestion's outbox, then
    /// per later stage the rows and batches done, the batches still waiting and those that failed (with why).
    /// </summary>
    /// <param name="country">The caller's country when it may see only that country's submissions.</param>
    public async Task<object?> GetStatusAsync(Guid submissionId, string? country, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT submission_id, reporting_country, observation_count, batch_count, accepted_at, trace_id, format, version,
                   -- The body is searched, not parsed: a row set aside for being unreadable must not break this view.
                   (SELECT count(*) FROM outbox o WHERE o.dispatched_at IS NULL
                      AND o.message_type = 'EarlyWarning.Contracts.ObservationsSubmitted'
                      AND position(convert_to('"submissionId":"' || @id::text || '"', 'UTF8') in o.body) > 0) AS unsent_batches
            FROM submissions WHERE submission_id = @id AND (@country::text IS NULL OR reporting_country = @country);
            SELECT stage, count(*) FILTER (WHERE NOT failed), coalesce(sum(observations) FILTER (WHERE NOT failed), 0), max(batch_count)
            FROM submission_progress WHERE submission_id = @id GROUP BY stage;
            SELECT stage, batch_number, reason FROM submission_progress WHERE submission_id = @id AND failed ORDER BY stage, batch_number LIMIT 100;
            """);
        cmd.Parameters.AddWithValue("id", submissionId);
        cmd.Parameters.AddWithValue("country", NpgsqlTypes.NpgsqlDbType.Text, (object?)country ?? DBNull.Value);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var receipt = ReadReceipt(reader);
        var format = reader.GetString(6);
        var version = reader.IsDBNull(7) ? (long?)null : reader.GetInt64(7);
        var unsent = reader.GetInt64(8);
        await reader.NextResultAsync(ct);
        var done = new Dictionary<string, (long Batches, long Rows, int? Expected)>();
        while (await reader.ReadAsync(ct))
            done[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt32(3));
        await reader.NextResultAsync(ct);
        var failures = new List<(string Stage, int Batch, string? Reason)>();
        while (await reader.ReadAsync(ct)) failures.Add((reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));

        List<object> Failed(string stage) => failures.Where(f => f.Stage == stage).Select(f => (object)new { batch = f.Batch, reason = f.Reason }).ToList();
        // The agreement releases a submission once all its batches are in, as published cells (series totals and
        // breakdowns) in messages of its own: the later stages count those, and wait for as many as it released.
        var release = done.TryGetValue("released", out var r) ? new { cells = r.Rows, batches = r.Expected ?? 0 } : null;
        object Anonymized()
        {
            var (batches, rows, _) = done.GetValueOrDefault("anonymized");
            var failed = Failed("anonymized");
            return new { rows, batchesDone = batches, batchesWaiting = receipt.Batches - batches - failed.Count, batchesFailed = failed, released = release };
        }
        object Released(string stage)
        {
            var (batches, cells, expected) = done.GetValueOrDefault(stage);
            var failed = Failed(stage);
            var total = release?.batches ?? expected;
            return new { cells, batchesDone = batches, batchesWaiting = total is { } t ? t - batches - failed.Count : (long?)null, batchesFailed = failed };
        }
        return new
        {
            receipt.SubmissionId,
            receipt.ReportingCountry,
            observations = receipt.Observations,
            batches = receipt.Batches,
            receipt.AcceptedAt,
            receipt.TraceId,
            format,
            version,
            progress = new
            {
                received = receipt.Observations,
                batchesNotYetSent = unsent,
                anonymized = Anonymized(),
                classified = Released("classified"),
                evaluated = Released("evaluated"),
            },
        };
    }

    private static SubmissionReceipt ReadReceipt(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
            reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5));
}
