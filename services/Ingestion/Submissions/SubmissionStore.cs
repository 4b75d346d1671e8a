using System.Diagnostics;
using EarlyWarning.Contracts;
using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>Accepted submission, as answered to the authority.</summary>
public sealed record SubmissionReceipt(Guid SubmissionId, string ReportingCountry, int Observations, int Batches, DateTimeOffset AcceptedAt, string? TraceId);

/// <summary>A submission found by its idempotency key, with the hash of the content it was accepted for.</summary>
internal sealed record StoredSubmission(SubmissionReceipt Receipt, byte[] ContentSha256);

/// <summary>
/// Stores a submission's rows and its outgoing batches in one transaction: once this returns,
/// the submission will reach Anonymization even if the process dies right after.
/// </summary>
internal sealed class SubmissionStore(TransactionalWork work, ResiliencePipelineProvider resilience, NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Stores the submission; returns null when <paramref name="idempotency"/>'s key was taken by a concurrent
    /// post between the caller's look-up and this insert (nothing is stored then).
    /// </summary>
    public async Task<SubmissionReceipt?> AcceptAsync(
        string country, string format, IReadOnlyList<RawObservation> rows, int batchSize,
        (string Key, byte[] Sha256)? idempotency, CancellationToken ct)
    {
        var submissionId = Guid.CreateVersion7();
        var acceptedAt = DateTimeOffset.UtcNow;
        var traceId = Activity.Current?.TraceId.ToString();
        var batchCount = (rows.Count + batchSize - 1) / batchSize;

        try
        {
            await resilience.Postgres.ExecuteAsync(async token => await work.ExecuteAsync(async (connection, transaction, messages) =>
            {
                long version;
                await using (var next = new NpgsqlCommand("SELECT nextval('submission_version')", connection, transaction))
                    version = (long)(await next.ExecuteScalarAsync(token))!;
                var versioned = rows.Select(row => row with { CellId = CellIdentity.Of(country, row), Version = version }).ToArray();
                await using (var cmd = new NpgsqlCommand(
                    """
                    INSERT INTO submissions (submission_id, reporting_country, format, observation_count, batch_count, accepted_at, trace_id, idempotency_key, content_sha256, version)
                    VALUES (@id, @country, @format, @count, @batches, @accepted, @trace, @key, @sha256, @version)
                    """, connection, transaction))
                {
                    cmd.Parameters.AddWithValue("id", submissionId);
                    cmd.Parameters.AddWithValue("country", country);
                    cmd.Parameters.AddWithValue("format", format);
                    cmd.Parameters.AddWithValue("count", rows.Count);
                    cmd.Parameters.AddWithValue("batches", batchCount);
                    cmd.Parameters.AddWithValue("version", version);
                    cmd.Parameters.AddWithValue("accepted", acceptedAt);
                    cmd.Parameters.AddWithValue("trace", (object?)traceId ?? DBNull.Value);
                    cmd.Parameters.AddWithValue("key", (object?)idempotency?.Key ?? DBNull.Value);
                    cmd.Parameters.AddWithValue("sha256", (object?)idempotency?.Sha256 ?? DBNull.Value);
                    await cmd.ExecuteNonQueryAsync(token);
                }
                await CopyRowsAsync(connection, submissionId, versioned, token);
                var batches = versioned.Chunk(batchSize).ToArray();
                for (var i = 0; i < batches.Length; i++)
                    messages.Add(new ObservationsSubmitted(submissionId, country, i + 1, batches.Length, acceptedAt, batches[i]));
            }, token), ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "submissions_idempotency_key")
        {
            return null;
        }

        return new SubmissionReceipt(submissionId, country, rows.Count, batchCount, acceptedAt, traceId);
    }

    private static async Task CopyRowsAsync(NpgsqlConnection connection, Guid submissionId, IReadOnlyList<RawObservation> rows, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY observations (submission_id, line, period, border_point, nationality, category, sex, age_group, count, cell_id, deleted) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(submissionId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(row.Line, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(row.Period, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(row.BorderPoint, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(row.Nationality, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(row.Category, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, row.Sex, ct);
            await WriteNullableAsync(copy, row.AgeGroup, ct);
            await copy.WriteAsync(row.Count, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(row.CellId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(row.Deleted, NpgsqlDbType.Boolean, ct);
        }
        await copy.CompleteAsync(ct);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct)
    {
        if (value is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(value, NpgsqlDbType.Text, ct);
    }

    public async Task<StoredSubmission?> FindByIdempotencyKeyAsync(string key, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT submission_id, reporting_country, observation_count, batch_count, accepted_at, trace_id, content_sha256
            FROM submissions WHERE idempotency_key = @key
            """);
        cmd.Parameters.AddWithValue("key", key);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new StoredSubmission(ReadReceipt(reader), reader.GetFieldValue<byte[]>(6));
    }

    /// <summary>The submission as accepted, and how far Ingestion's part of it has gone.</summary>
    public async Task<object?> GetStatusAsync(Guid submissionId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT submission_id, reporting_country, observation_count, batch_count, accepted_at, trace_id, format,
                   (SELECT count(*) FROM outbox o WHERE o.dispatched_at IS NULL) AS pending_messages
            FROM submissions WHERE submission_id = @id
            """);
        cmd.Parameters.AddWithValue("id", submissionId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var receipt = ReadReceipt(reader);
        return new
        {
            receipt.SubmissionId,
            receipt.ReportingCountry,
            observations = receipt.Observations,
            batches = receipt.Batches,
            receipt.AcceptedAt,
            receipt.TraceId,
            format = reader.GetString(6),
            outboxPending = reader.GetInt64(7),
        };
    }

    private static SubmissionReceipt ReadReceipt(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
            reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5));
}
