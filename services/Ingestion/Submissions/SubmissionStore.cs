using System.Diagnostics;
using EarlyWarning.Contracts;
using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>Accepted submission, as answered to the authority.</summary>
public sealed record SubmissionReceipt(Guid SubmissionId, string ReportingCountry, int Observations, int Batches, DateTimeOffset AcceptedAt, string? TraceId);

/// <summary>
/// Stores a submission's rows and its outgoing batches in one transaction: once this returns,
/// the submission will reach Anonymization even if the process dies right after.
/// </summary>
internal sealed class SubmissionStore(TransactionalWork work, ResiliencePipelineProvider resilience)
{
    public async Task<SubmissionReceipt> AcceptAsync(string country, string format, IReadOnlyList<RawObservation> rows, int batchSize, CancellationToken ct)
    {
        var submissionId = Guid.CreateVersion7();
        var acceptedAt = DateTimeOffset.UtcNow;
        var traceId = Activity.Current?.TraceId.ToString();
        var batches = rows.Chunk(batchSize).ToArray();

        await resilience.Postgres.ExecuteAsync(async token => await work.ExecuteAsync(async (connection, transaction, messages) =>
        {
            await using (var cmd = new NpgsqlCommand(
                """
                INSERT INTO submissions (submission_id, reporting_country, format, observation_count, batch_count, accepted_at, trace_id)
                VALUES (@id, @country, @format, @count, @batches, @accepted, @trace)
                """, connection, transaction))
            {
                cmd.Parameters.AddWithValue("id", submissionId);
                cmd.Parameters.AddWithValue("country", country);
                cmd.Parameters.AddWithValue("format", format);
                cmd.Parameters.AddWithValue("count", rows.Count);
                cmd.Parameters.AddWithValue("batches", batches.Length);
                cmd.Parameters.AddWithValue("accepted", acceptedAt);
                cmd.Parameters.AddWithValue("trace", (object?)traceId ?? DBNull.Value);
                await cmd.ExecuteNonQueryAsync(token);
            }
            await CopyRowsAsync(connection, submissionId, rows, token);
            for (var i = 0; i < batches.Length; i++)
            {
                var batch = new ObservationsSubmitted(submissionId, country, i + 1, batches.Length, acceptedAt, batches[i]);
                messages.Add(batch, WithoutPersonalFields(batch));
            }
        }, token), ct);

        return new SubmissionReceipt(submissionId, country, rows.Count, batches.Length, acceptedAt, traceId);
    }

    /// <summary>The batch as the outbox keeps it once published (null when it has no personal fields to clear).</summary>
    internal static ObservationsSubmitted? WithoutPersonalFields(ObservationsSubmitted batch) =>
        batch.Observations.Any(o => o.PersonalFields is { Count: > 0 })
            ? batch with { Observations = [.. batch.Observations.Select(o => o with { PersonalFields = null })] }
            : null;

    private static async Task CopyRowsAsync(NpgsqlConnection connection, Guid submissionId, IReadOnlyList<RawObservation> rows, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY observations (submission_id, line, period, border_point, nationality, category, sex, age_group, count) FROM STDIN (FORMAT BINARY)", ct);
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
        }
        await copy.CompleteAsync(ct);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct)
    {
        if (value is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(value, NpgsqlDbType.Text, ct);
    }
}
