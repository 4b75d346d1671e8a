using EarlyWarning.Contracts;
using Npgsql;

namespace EarlyWarning.Alerting.Detection;

/// <summary>The cells Alerting keeps, and the weekly series built from them, inside the consumer's transaction.</summary>
internal static class SeriesStore
{
    /// <summary>
    /// Stores the batch's cells, each only if its version is newer than the stored one (a late, older message
    /// changes nothing; a delete leaves a tombstone), and returns the weeks each series changed in.
    /// </summary>
    public static async Task<Dictionary<SeriesKey, HashSet<DateOnly>>> UpsertAsync(
        NpgsqlConnection connection, ObservationsHarmonized batch, CancellationToken ct)
    {
        // ON CONFLICT cannot touch one row twice in a statement; within a batch the newest row of a cell wins.
        var cells = new Dictionary<Guid, (HarmonizedObservation Row, SeriesKey Key)>();
        foreach (var row in batch.Observations)
        {
            var key = SeriesKey.Of(batch.ReportingCountry, row);
            var id = row.CellId != Guid.Empty ? row.CellId : LegacyCellId(key, row);
            if (!cells.TryGetValue(id, out var seen) || seen.Row.Version <= row.Version) cells[id] = (row, key);
        }
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO cells (cell_id, series_key, period, national_category, sex, age_group, count, deleted, version, submission_id, line,
                               reporting_country, border_point, nationality, category)
            SELECT i, s, p, n, x, a, c, d, v, @submission, l, @country, b, na, ca
            FROM unnest(@ids, @series, @periods, @national, @sexes, @ages, @counts, @deleted, @versions, @lines, @points, @nationalities, @categories)
                AS u(i, s, p, n, x, a, c, d, v, l, b, na, ca)
            ON CONFLICT (cell_id) DO UPDATE SET
                series_key = excluded.series_key, period = excluded.period, count = excluded.count, deleted = excluded.deleted,
                version = excluded.version, submission_id = excluded.submission_id, line = excluded.line, updated_at = clock_timestamp(),
                reporting_country = excluded.reporting_country, border_point = excluded.border_point, nationality = excluded.nationality,
                category = excluded.category
            -- Messages from before versions existed (version 0) keep the old rule: the last one processed wins.
            WHERE cells.version < excluded.version OR (cells.version = 0 AND excluded.version = 0)
            RETURNING cell_id
            """, connection);
        cmd.Parameters.AddWithValue("submission", batch.SubmissionId);
        cmd.Parameters.AddWithValue("ids", cells.Keys.ToArray());
        cmd.Parameters.AddWithValue("series", cells.Values.Select(v => v.Key.ToString()).ToArray());
        cmd.Parameters.AddWithValue("periods", cells.Values.Select(v => v.Row.Period).ToArray());
        cmd.Parameters.AddWithValue("national", cells.Values.Select(v => v.Row.NationalCategory).ToArray());
        cmd.Parameters.AddWithValue("sexes", cells.Values.Select(v => v.Row.Sex ?? "").ToArray());
        cmd.Parameters.AddWithValue("ages", cells.Values.Select(v => v.Row.AgeGroup ?? "").ToArray());
        cmd.Parameters.AddWithValue("counts", cells.Values.Select(v => v.Row.Count).ToArray());
        cmd.Parameters.AddWithValue("deleted", cells.Values.Select(v => v.Row.Deleted).ToArray());
        cmd.Parameters.AddWithValue("versions", cells.Values.Select(v => v.Row.Version).ToArray());
        cmd.Parameters.AddWithValue("lines", cells.Values.Select(v => v.Row.Line).ToArray());
        cmd.Parameters.AddWithValue("country", batch.ReportingCountry);
        cmd.Parameters.AddWithValue("points", cells.Values.Select(v => v.Key.BorderPoint).ToArray());
        cmd.Parameters.AddWithValue("nationalities", cells.Values.Select(v => v.Key.Nationality).ToArray());
        cmd.Parameters.AddWithValue("categories", cells.Values.Select(v => v.Key.Category).ToArray());

        var changed = new Dictionary<SeriesKey, HashSet<DateOnly>>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (row, key) = cells[reader.GetGuid(0)];
            if (!changed.TryGetValue(key, out var weeks)) changed[key] = weeks = [];
            weeks.Add(row.Period);
        }
        return changed;
    }

    /// <summary>
    /// The identity of a cell in a message from before Ingestion gave cells one: its harmonized series, week,
    /// national category, sex and age group (as migration 0002 derived it for the cells already stored).
    /// </summary>
    public static Guid LegacyCellId(SeriesKey key, HarmonizedObservation row)
    {
        var text = string.Join('\u001f', key.ToString(), row.Period.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            row.NationalCategory, row.Sex ?? "", row.AgeGroup ?? "");
        return new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text)), bigEndian: true);
    }

    /// <summary>
    /// Serializes the batches that touch the same series (transaction-scoped advisory locks, taken in one
    /// order so two batches cannot deadlock): a batch evaluated alongside another would not see the other's
    /// weeks, and a surge spanning both could go unnoticed. Batches of unrelated series run in parallel.
    /// </summary>
    public static async Task LockAsync(NpgsqlConnection connection, IEnumerable<SeriesKey> keys, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(@keys) AS k ORDER BY 1) l", connection);
        cmd.Parameters.AddWithValue("keys", keys.Select(k => k.ToString()).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Weekly totals of the given series between two weeks, from their series-total cells (sex and age group
    /// "_T", or not broken down): breakdown cells are never summed, which would count each event twice or
    /// more, and a suppressed breakdown cell does not matter. A week whose total (of any national category
    /// of the series) was suppressed has no total: its true count is unknown.
    /// </summary>
    public static async Task<Dictionary<SeriesKey, WeeklySeries>> LoadAsync(
        NpgsqlConnection connection, IEnumerable<SeriesKey> keys, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var totals = new Dictionary<SeriesKey, SortedDictionary<DateOnly, long?>>();
        var byText = keys.Distinct().ToDictionary(k => k.ToString());
        await using var cmd = new NpgsqlCommand(
            """
            SELECT series_key, period, CASE WHEN bool_or(count IS NULL) THEN NULL ELSE sum(count) END
            FROM cells WHERE series_key = ANY(@keys) AND period BETWEEN @from AND @to AND sex IN ('_T', '') AND age_group IN ('_T', '') AND NOT deleted
            GROUP BY series_key, period
            """, connection);
        cmd.Parameters.AddWithValue("keys", byText.Keys.ToArray());
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = byText[reader.GetString(0)];
            if (!totals.TryGetValue(key, out var series)) totals[key] = series = [];
            series[reader.GetFieldValue<DateOnly>(1)] = reader.IsDBNull(2) ? null : reader.GetInt64(2);
        }
        return totals.ToDictionary(t => t.Key, t => new WeeklySeries(t.Key, t.Value));
    }
}
