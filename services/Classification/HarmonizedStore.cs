using EarlyWarning.Classification.Mapping;
using EarlyWarning.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Classification;

/// <summary>
/// Writes a classified batch inside the consumer's transaction. Every row written is keyed by its batch row
/// (submission, line), so no two batches ever write the same row: concurrent batches cannot deadlock here, and
/// a batch processed twice would fail on the key rather than store a cell twice.
/// </summary>
internal static class HarmonizedStore
{
    public static async Task WriteAsync(NpgsqlConnection connection, ObservationsAnonymized batch, ClassifiedBatch classified,
        string? traceId, bool replayed, CancellationToken ct)
    {
        if (classified.Harmonized.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                """
                COPY harmonized_observations (submission_id, line, reporting_country, period, border_point, nationality, category,
                                              national_category, sex, age_group, count, accepted_at, trace_id,
                                              national_border_point, national_nationality, mapping_version, policy_digest, replayed_at,
                                              cell_id, version, deleted, national_age_group, direction, vulnerability)
                FROM STDIN (FORMAT BINARY)
                """, ct);
            var replayedAt = replayed ? DateTimeOffset.UtcNow : (DateTimeOffset?)null;
            foreach (var cell in classified.Harmonized)
            {
                var row = cell.Observation;
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(batch.SubmissionId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(row.Line, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(batch.ReportingCountry, NpgsqlDbType.Char, ct);
                await copy.WriteAsync(row.Period, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(row.BorderPoint, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(row.Nationality, NpgsqlDbType.Char, ct);
                await copy.WriteAsync(row.Category, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(row.NationalCategory, NpgsqlDbType.Text, ct);
                await WriteAsync(copy, row.Sex, NpgsqlDbType.Text, ct);
                await WriteAsync(copy, row.AgeGroup, NpgsqlDbType.Text, ct);
                if (row.Count is { } count) await copy.WriteAsync(count, NpgsqlDbType.Bigint, ct); else await copy.WriteNullAsync(ct);
                await copy.WriteAsync(batch.AcceptedAt, NpgsqlDbType.TimestampTz, ct);
                await WriteAsync(copy, traceId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(cell.NationalBorderPoint, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(cell.NationalNationality, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(cell.MappingVersion, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(classified.PolicyDigest, NpgsqlDbType.Text, ct);
                if (replayedAt is { } at) await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct); else await copy.WriteNullAsync(ct);
                await copy.WriteAsync(row.CellId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(row.Version, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(row.Deleted, NpgsqlDbType.Boolean, ct);
                await WriteAsync(copy, cell.NationalAgeGroup, NpgsqlDbType.Text, ct);
                await WriteAsync(copy, row.Direction, NpgsqlDbType.Text, ct);
                await WriteAsync(copy, row.Vulnerability, NpgsqlDbType.Text, ct);
            }
            await copy.CompleteAsync(ct);
        }
        if (classified.Held.Count > 0 && !replayed) await HeldCellStore.HoldAsync(connection, batch, classified, traceId, ct);
    }

    internal static async Task WriteAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(value, type, ct);
    }
}
