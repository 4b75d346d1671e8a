using EarlyWarning.Classification.Mapping;
using EarlyWarning.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Classification;

/// <summary>A held cell with the batch it came from, as a replay needs it.</summary>
internal sealed record HeldBatchCell(Guid SubmissionId, string ReportingCountry, int BatchNumber, int BatchCount, DateTimeOffset AcceptedAt, string? TraceId, AnonymizedObservation Row);

/// <summary>One distinct unmapped value as written and what it holds.</summary>
internal sealed record UnmappedValueCount(string ReportingCountry, string Kind, string Written, long Cells, long Events, DateTimeOffset FirstHeld, DateTimeOffset LastHeld);

/// <summary>The cells held for review: written by the consumer, read by operators, taken back by a replay.</summary>
internal static class HeldCellStore
{
    public static async Task HoldAsync(NpgsqlConnection connection, ObservationsAnonymized batch, ClassifiedBatch classified, string? traceId, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            """
            COPY held_cells (submission_id, line, reporting_country, batch_number, batch_count, accepted_at, period, border_point,
                             nationality, category, sex, age_group, count, suppressed, reasons, policy_digest, trace_id,
                             cell_id, version, deleted, lower_bound, upper_bound)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var held in classified.Held)
        {
            var row = held.Row;
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(batch.SubmissionId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(row.Line, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(batch.ReportingCountry, NpgsqlDbType.Char, ct);
            await copy.WriteAsync(batch.BatchNumber, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(batch.BatchCount, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(batch.AcceptedAt, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(row.Period, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(row.BorderPoint, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(row.Nationality, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(row.Category, NpgsqlDbType.Text, ct);
            await HarmonizedStore.WriteAsync(copy, row.Sex, NpgsqlDbType.Text, ct);
            await HarmonizedStore.WriteAsync(copy, row.AgeGroup, NpgsqlDbType.Text, ct);
            if (row.Count is { } count) await copy.WriteAsync(count, NpgsqlDbType.Bigint, ct); else await copy.WriteNullAsync(ct);
            await copy.WriteAsync(row.Suppressed, NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(held.Reasons.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await copy.WriteAsync(classified.PolicyDigest, NpgsqlDbType.Text, ct);
            await HarmonizedStore.WriteAsync(copy, traceId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(row.CellId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(row.Version, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(row.Deleted, NpgsqlDbType.Boolean, ct);
            if (row.LowerBound is { } lower) await copy.WriteAsync(lower, NpgsqlDbType.Bigint, ct); else await copy.WriteNullAsync(ct);
            if (row.UpperBound is { } upper) await copy.WriteAsync(upper, NpgsqlDbType.Bigint, ct); else await copy.WriteNullAsync(ct);
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>Locks and reads the held cells (of one country, or all), in key order.</summary>
    public static async Task<List<HeldBatchCell>> TakeAsync(NpgsqlConnection connection, string? country, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            SELECT submission_id, reporting_country, batch_number, batch_count, accepted_at, trace_id,
                   line, period, border_point, nationality, category, sex, age_group, count, suppressed, cell_id, version, deleted,
                   lower_bound, upper_bound
            FROM held_cells WHERE @country::char(3) IS NULL OR reporting_country = @country
            ORDER BY submission_id, line FOR UPDATE
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter("country", NpgsqlDbType.Char) { Value = (object?)country ?? DBNull.Value });
        var cells = new List<HeldBatchCell>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            cells.Add(new HeldBatchCell(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                new AnonymizedObservation(reader.GetInt32(6), reader.GetFieldValue<DateOnly>(7), reader.GetString(8), reader.GetString(9),
                    reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12),
                    reader.IsDBNull(13) ? null : reader.GetInt64(13), reader.GetBoolean(14))
                {
                    CellId = reader.GetGuid(15), Version = reader.GetInt64(16), Deleted = reader.GetBoolean(17),
                    LowerBound = reader.IsDBNull(18) ? null : reader.GetInt64(18), UpperBound = reader.IsDBNull(19) ? null : reader.GetInt64(19),
                }));
        return cells;
    }

    public static async Task UpdateReasonsAsync(NpgsqlConnection connection, Guid submissionId, ClassifiedBatch classified, CancellationToken ct)
    {
        if (classified.Held.Count == 0) return;
        await using var cmd = new NpgsqlCommand(
            """
            UPDATE held_cells h SET reasons = string_to_array(u.reasons, ','), policy_digest = @digest
            FROM unnest(@lines, @reasons) AS u(line, reasons)
            WHERE h.submission_id = @id AND h.line = u.line AND (h.reasons <> string_to_array(u.reasons, ',') OR h.policy_digest <> @digest)
            """, connection);
        cmd.Parameters.AddWithValue("id", submissionId);
        cmd.Parameters.AddWithValue("digest", classified.PolicyDigest);
        cmd.Parameters.AddWithValue("lines", classified.Held.Select(h => h.Row.Line).ToArray());
        cmd.Parameters.AddWithValue("reasons", classified.Held.Select(h => string.Join(',', h.Reasons)).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task ReleaseAsync(NpgsqlConnection connection, Guid submissionId, IEnumerable<int> lines, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("DELETE FROM held_cells WHERE submission_id = @id AND line = ANY(@lines)", connection);
        cmd.Parameters.AddWithValue("id", submissionId);
        cmd.Parameters.AddWithValue("lines", lines.ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<List<UnmappedValueCount>> UnmappedAsync(NpgsqlDataSource db, string? country, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT reporting_country, kind, written, cells, events, first_held, last_held FROM unmapped_values
            WHERE @country::char(3) IS NULL OR reporting_country = @country
            ORDER BY cells DESC, reporting_country, kind, written
            """);
        cmd.Parameters.Add(new NpgsqlParameter("country", NpgsqlDbType.Char) { Value = (object?)country ?? DBNull.Value });
        var values = new List<UnmappedValueCount>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            values.Add(new UnmappedValueCount(reader.GetString(0).Trim(), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6)));
        return values;
    }
}
