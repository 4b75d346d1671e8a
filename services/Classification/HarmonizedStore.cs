using EarlyWarning.Classification.Mapping;
using EarlyWarning.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Classification;

/// <summary>Writes a classified batch inside the consumer's transaction.</summary>
internal static class HarmonizedStore
{
    public static async Task WriteAsync(NpgsqlConnection connection, ObservationsAnonymized batch, ClassifiedBatch classified, string? traceId, CancellationToken ct)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
            """
            COPY harmonized_observations (submission_id, line, reporting_country, period, border_point, nationality, category,
                                          national_category, sex, age_group, count, accepted_at, trace_id,
                                          cell_id, version, deleted) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var row in classified.Observations)
            {
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
                await copy.WriteAsync(row.CellId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(row.Version, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(row.Deleted, NpgsqlDbType.Boolean, ct);
            }
            await copy.CompleteAsync(ct);
        }

        if (classified.Unmapped.Count == 0) return;
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO unmapped_codes (reporting_country, kind, code, occurrences)
            SELECT @country, kind, code, n FROM unnest(@kinds, @codes, @counts) AS u(kind, code, n)
            ON CONFLICT (reporting_country, kind, code)
            DO UPDATE SET occurrences = unmapped_codes.occurrences + excluded.occurrences, last_seen = now()
            """, connection);
        cmd.Parameters.AddWithValue("country", batch.ReportingCountry);
        cmd.Parameters.AddWithValue("kinds", classified.Unmapped.Select(u => u.Kind).ToArray());
        cmd.Parameters.AddWithValue("codes", classified.Unmapped.Select(u => u.Code).ToArray());
        cmd.Parameters.AddWithValue("counts", classified.Unmapped.Select(u => (long)u.Occurrences).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task WriteAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(value, type, ct);
    }
}
