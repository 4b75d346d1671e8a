using EarlyWarning.Contracts;
using Npgsql;

namespace EarlyWarning.Alerting.Detection;

/// <summary>The cells Alerting keeps, and the weekly series built from them, inside the consumer's transaction.</summary>
internal static class SeriesStore
{
    /// <summary>Stores the batch's cells (replacing earlier counts of the same cell) and returns the weeks each series changed in.</summary>
    public static async Task<Dictionary<SeriesKey, HashSet<DateOnly>>> UpsertAsync(
        NpgsqlConnection connection, ObservationsHarmonized batch, CancellationToken ct)
    {
        // ON CONFLICT cannot touch one row twice in a statement; within a batch the last row of a cell wins.
        var cells = new Dictionary<(string, DateOnly, string, string, string), (HarmonizedObservation Row, SeriesKey Key)>();
        foreach (var row in batch.Observations)
        {
            var key = SeriesKey.Of(batch.ReportingCountry, row);
            cells[(key.ToString(), row.Period, row.NationalCategory, row.Sex ?? "", row.AgeGroup ?? "")] = (row, key);
        }
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO cells (series_key, period, national_category, sex, age_group, count, submission_id, line)
            SELECT s, p, n, x, a, c, @submission, l FROM unnest(@series, @periods, @national, @sexes, @ages, @counts, @lines) AS u(s, p, n, x, a, c, l)
            ON CONFLICT (series_key, period, national_category, sex, age_group)
            DO UPDATE SET count = excluded.count, submission_id = excluded.submission_id, line = excluded.line, updated_at = clock_timestamp()
            """, connection);
        cmd.Parameters.AddWithValue("submission", batch.SubmissionId);
        cmd.Parameters.AddWithValue("series", cells.Keys.Select(k => k.Item1).ToArray());
        cmd.Parameters.AddWithValue("periods", cells.Keys.Select(k => k.Item2).ToArray());
        cmd.Parameters.AddWithValue("national", cells.Keys.Select(k => k.Item3).ToArray());
        cmd.Parameters.AddWithValue("sexes", cells.Keys.Select(k => k.Item4).ToArray());
        cmd.Parameters.AddWithValue("ages", cells.Keys.Select(k => k.Item5).ToArray());
        cmd.Parameters.AddWithValue("counts", cells.Values.Select(v => v.Row.Count).ToArray());
        cmd.Parameters.AddWithValue("lines", cells.Values.Select(v => v.Row.Line).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);

        var changed = new Dictionary<SeriesKey, HashSet<DateOnly>>();
        foreach (var (key, value) in cells)
        {
            if (!changed.TryGetValue(value.Key, out var weeks)) changed[value.Key] = weeks = [];
            weeks.Add(key.Item2);
        }
        return changed;
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

    /// <summary>Weekly totals of the given series between two weeks. A week with a suppressed cell has no total: its true count is unknown.</summary>
    public static async Task<Dictionary<SeriesKey, WeeklySeries>> LoadAsync(
        NpgsqlConnection connection, IEnumerable<SeriesKey> keys, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var totals = new Dictionary<SeriesKey, SortedDictionary<DateOnly, long?>>();
        var byText = keys.Distinct().ToDictionary(k => k.ToString());
        await using var cmd = new NpgsqlCommand(
            """
            SELECT series_key, period, CASE WHEN bool_or(count IS NULL) THEN NULL ELSE sum(count) END
            FROM cells WHERE series_key = ANY(@keys) AND period BETWEEN @from AND @to GROUP BY series_key, period
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
