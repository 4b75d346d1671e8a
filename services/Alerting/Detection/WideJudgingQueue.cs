using EarlyWarning.Detection.Surveillance;
using Npgsql;

namespace EarlyWarning.Alerting.Detection;

/// <summary>The weeks of wide series (those that sum many border points) waiting for <see cref="WideSeriesJudging"/>.</summary>
internal static class WideJudgingQueue
{
    /// <summary>Marks the changed weeks, in the batch's transaction: they are judged once that transaction has committed.</summary>
    public static async Task MarkAsync(NpgsqlConnection connection, IReadOnlyDictionary<SeriesKey, HashSet<DateOnly>> changed, CancellationToken ct)
    {
        var weeks = changed.SelectMany(c => c.Value.Select(week => (Key: c.Key, Week: week))).OrderBy(w => w.Key.ToString(), StringComparer.Ordinal).ThenBy(w => w.Week).ToList();
        if (weeks.Count == 0) return;
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO wide_judging_due (level, reporting_country, border_point, nationality, category, period)
            SELECT * FROM unnest(@levels, @countries, @points, @nationalities, @categories, @periods)
            ON CONFLICT DO NOTHING
            """, connection);
        cmd.Parameters.AddWithValue("levels", weeks.Select(w => w.Key.Level.Name).ToArray());
        cmd.Parameters.AddWithValue("countries", weeks.Select(w => w.Key.Country).ToArray());
        cmd.Parameters.AddWithValue("points", weeks.Select(w => w.Key.BorderPoint).ToArray());
        cmd.Parameters.AddWithValue("nationalities", weeks.Select(w => w.Key.Nationality).ToArray());
        cmd.Parameters.AddWithValue("categories", weeks.Select(w => w.Key.Category).ToArray());
        cmd.Parameters.AddWithValue("periods", weeks.Select(w => w.Week).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Up to <paramref name="limit"/> series of watched levels with marked weeks (read without locking them).</summary>
    public static async Task<List<SeriesKey>> SeriesDueAsync(NpgsqlConnection connection, IReadOnlyList<SeriesLevel> watched, int limit, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            SELECT DISTINCT level, reporting_country, border_point, nationality, category FROM wide_judging_due
            WHERE level = ANY(@levels) ORDER BY 1, 2, 3, 4, 5 LIMIT @limit
            """, connection);
        var byName = watched.ToDictionary(l => l.Name);
        cmd.Parameters.AddWithValue("levels", byName.Keys.ToArray());
        cmd.Parameters.AddWithValue("limit", limit);
        var due = new List<SeriesKey>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            due.Add(new SeriesKey(byName[reader.GetString(0)], reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        return due;
    }

    /// <summary>
    /// Takes (deletes, in the caller's transaction) the marked weeks of <paramref name="series"/>. The caller holds the
    /// series' locks first, as batches do before they mark: a batch that marks a taken week again waits for the caller's
    /// commit, then marks it anew.
    /// </summary>
    public static async Task<Dictionary<SeriesKey, HashSet<DateOnly>>> TakeAsync(NpgsqlConnection connection, IReadOnlyList<SeriesKey> series, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            DELETE FROM wide_judging_due d USING unnest(@levels, @countries, @points, @nationalities, @categories) WITH ORDINALITY AS k(level, c, b, na, ca, n)
            WHERE (d.level, d.reporting_country, d.border_point, d.nationality, d.category) = (k.level, k.c, k.b, k.na, k.ca)
            RETURNING k.n, d.period
            """, connection);
        cmd.Parameters.AddWithValue("levels", series.Select(k => k.Level.Name).ToArray());
        cmd.Parameters.AddWithValue("countries", series.Select(k => k.Country).ToArray());
        cmd.Parameters.AddWithValue("points", series.Select(k => k.BorderPoint).ToArray());
        cmd.Parameters.AddWithValue("nationalities", series.Select(k => k.Nationality).ToArray());
        cmd.Parameters.AddWithValue("categories", series.Select(k => k.Category).ToArray());
        var taken = new Dictionary<SeriesKey, HashSet<DateOnly>>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = series[(int)reader.GetInt64(0) - 1];
            if (!taken.TryGetValue(key, out var weeks)) taken[key] = weeks = [];
            weeks.Add(reader.GetFieldValue<DateOnly>(1));
        }
        return taken;
    }
}
