using EarlyWarning.Contracts;
using EarlyWarning.Detection.Surveillance;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Alerting.Detection;

/// <summary>The cells Alerting keeps, and the weekly series built from them, inside the consumer's transaction.</summary>
internal static class SeriesStore
{
    /// <summary>
    /// Stores the batch's cells, each only if its version is newer than the stored one (a late, older message
    /// changes nothing; a delete leaves a tombstone), and returns the weeks each series of the watched levels
    /// changed in, and what the changes add to their weekly totals (<see cref="AddToTotalsAsync"/> stores it).
    /// </summary>
    public static async Task<(Dictionary<SeriesKey, HashSet<DateOnly>> Changed, Dictionary<(SeriesKey Series, DateOnly Week), WeekDelta> Deltas)> UpsertAsync(
        NpgsqlConnection connection, ObservationsHarmonized batch, IReadOnlyList<SeriesLevel> levels, CancellationToken ct)
    {
        // ON CONFLICT cannot touch one row twice in a statement; within a batch the newest row of a cell wins.
        var cells = new Dictionary<Guid, (HarmonizedObservation Row, SeriesKey Key)>();
        foreach (var row in batch.Observations)
        {
            var key = SeriesKey.Of(batch.ReportingCountry, row);
            var id = row.CellId != Guid.Empty ? row.CellId : LegacyCellId(key, row);
            if (!cells.TryGetValue(id, out var seen) || seen.Row.Version <= row.Version) cells[id] = (row, key);
        }
        // The stored value each cell replaces is taken out of the totals: every part of one statement sees the rows as they
        // were before it (a locking read would skip the rows the upsert changes). The batch's series locks keep others away.
        await using var cmd = new NpgsqlCommand(
            """
            WITH input AS (
                SELECT * FROM unnest(@ids, @series, @periods, @national, @sexes, @ages, @counts, @deleted, @versions, @lines, @points, @nationalities,
                                     @categories, @directions, @vulnerabilities, @lowers, @uppers)
                    AS u(i, s, p, n, x, a, c, d, v, l, b, na, ca, di, vu, lo, hi)),
            old AS (
                SELECT c.cell_id, c.period, c.sex, c.age_group, c.count, c.deleted, c.reporting_country, c.border_point, c.nationality, c.category,
                       c.lower_bound, c.upper_bound
                FROM cells c WHERE c.cell_id = ANY(@ids)),
            up AS (
                INSERT INTO cells (cell_id, series_key, period, national_category, sex, age_group, count, deleted, version, submission_id, line,
                                   reporting_country, border_point, nationality, category, direction, vulnerability, lower_bound, upper_bound)
                SELECT i, s, p, n, x, a, c, d, v, @submission, l, @country, b, na, ca, di, vu, lo, hi FROM input
                ON CONFLICT (cell_id) DO UPDATE SET
                    series_key = excluded.series_key, period = excluded.period, count = excluded.count, deleted = excluded.deleted,
                    lower_bound = excluded.lower_bound, upper_bound = excluded.upper_bound,
                    version = excluded.version, submission_id = excluded.submission_id, line = excluded.line, updated_at = clock_timestamp(),
                    reporting_country = excluded.reporting_country, border_point = excluded.border_point, nationality = excluded.nationality,
                    category = excluded.category, direction = excluded.direction, vulnerability = excluded.vulnerability
                -- Messages from before versions existed (version 0) keep the old rule: the last one processed wins.
                WHERE cells.version < excluded.version OR (cells.version = 0 AND excluded.version = 0)
                RETURNING cell_id)
            SELECT up.cell_id, old.cell_id IS NOT NULL, old.period, old.sex, old.age_group, old.count, old.deleted,
                   old.reporting_country, old.border_point, old.nationality, old.category, old.lower_bound, old.upper_bound
            FROM up LEFT JOIN old ON old.cell_id = up.cell_id
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
        cmd.Parameters.AddWithValue("directions", NpgsqlDbType.Array | NpgsqlDbType.Text, cells.Values.Select(v => v.Row.Direction).ToArray());
        cmd.Parameters.AddWithValue("vulnerabilities", NpgsqlDbType.Array | NpgsqlDbType.Text, cells.Values.Select(v => v.Row.Vulnerability).ToArray());
        // A count carries no bounds: they describe a suppressed cell only.
        cmd.Parameters.AddWithValue("lowers", cells.Values.Select(v => v.Row.Count is null ? v.Row.LowerBound : null).ToArray());
        cmd.Parameters.AddWithValue("uppers", cells.Values.Select(v => v.Row.Count is null ? v.Row.UpperBound : null).ToArray());

        var changes = new List<(CellState? Old, CellState New)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var (row, key) = cells[reader.GetGuid(0)];
                var now = new CellState(key, row.Period, CellState.IsSeriesTotal(row.Sex, row.AgeGroup), row.Count, row.Deleted,
                    row.Count is null ? row.LowerBound : null, row.Count is null ? row.UpperBound : null);
                // A cell stored before migration 0003 has no parts: it is in no level's totals, so nothing is taken out.
                CellState? old = reader.GetBoolean(1) && !reader.IsDBNull(7)
                    ? new CellState(new SeriesKey(reader.GetString(7).TrimEnd(), reader.GetString(8), reader.GetString(9), reader.GetString(10)),
                        reader.GetFieldValue<DateOnly>(2), CellState.IsSeriesTotal(reader.GetString(3), reader.GetString(4)),
                        reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.GetBoolean(6),
                        reader.IsDBNull(11) ? null : reader.GetInt64(11), reader.IsDBNull(12) ? null : reader.GetInt64(12))
                    : null;
                changes.Add((old, now));
            }
        var (deltas, changed) = SeriesAggregation.Of(levels, changes);
        return (changed, deltas);
    }

    /// <summary>
    /// Adds changes to the kept weekly totals (set-wise, one statement). Returns the weeks that had a total before: only
    /// those can have a verdict to re-judge from (<see cref="JudgementStore.LoadBasesAsync"/>); a week just begun has none.
    /// </summary>
    public static async Task<HashSet<(SeriesKey Series, DateOnly Week)>> AddToTotalsAsync(
        NpgsqlConnection connection, IEnumerable<KeyValuePair<(SeriesKey Series, DateOnly Week), WeekDelta>> deltas, CancellationToken ct)
    {
        // One order for every batch, so two batches updating the same weeks cannot deadlock.
        var rows = deltas.OrderBy(d => d.Key.Series.Level.Dimensions).ThenBy(d => d.Key.Series.Country, StringComparer.Ordinal)
            .ThenBy(d => d.Key.Series.BorderPoint, StringComparer.Ordinal).ThenBy(d => d.Key.Series.Nationality, StringComparer.Ordinal)
            .ThenBy(d => d.Key.Series.Category, StringComparer.Ordinal).ThenBy(d => d.Key.Week).ToList();
        var existed = new HashSet<(SeriesKey, DateOnly)>();
        if (rows.Count == 0) return existed;
        // xmax is 0 on a row the statement inserted, and set on one it updated: only the updated rows come back.
        await using var cmd = new NpgsqlCommand(
            """
            WITH up AS (
                INSERT INTO series_weeks AS w (level, reporting_country, border_point, nationality, category, period, total, unknown, cells,
                                               low, high, unbounded)
                SELECT * FROM unnest(@levels, @countries, @points, @nationalities, @categories, @periods, @totals, @unknown, @cells,
                                     @lows, @highs, @unbounded)
                ON CONFLICT (level, reporting_country, border_point, nationality, category, period) DO UPDATE SET
                    total = w.total + excluded.total, unknown = w.unknown + excluded.unknown, cells = w.cells + excluded.cells,
                    low = w.low + excluded.low, high = w.high + excluded.high, unbounded = w.unbounded + excluded.unbounded
                RETURNING level, reporting_country, border_point, nationality, category, period, xmax <> 0 AS updated)
            SELECT level, reporting_country, border_point, nationality, category, period FROM up WHERE updated
            """, connection);
        cmd.Parameters.AddSeriesKeys(rows.Select(r => r.Key.Series));
        cmd.Parameters.AddWithValue("periods", rows.Select(r => r.Key.Week).ToArray());
        cmd.Parameters.AddWithValue("totals", rows.Select(r => r.Value.Total).ToArray());
        cmd.Parameters.AddWithValue("unknown", rows.Select(r => r.Value.Unknown).ToArray());
        cmd.Parameters.AddWithValue("cells", rows.Select(r => r.Value.Cells).ToArray());
        cmd.Parameters.AddWithValue("lows", rows.Select(r => r.Value.Low).ToArray());
        cmd.Parameters.AddWithValue("highs", rows.Select(r => r.Value.High).ToArray());
        cmd.Parameters.AddWithValue("unbounded", rows.Select(r => r.Value.Unbounded).ToArray());
        var levels = rows.Select(r => r.Key.Series.Level).Distinct().ToDictionary(l => l.Name);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            existed.Add((new SeriesKey(levels[reader.GetString(0)], reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)),
                reader.GetFieldValue<DateOnly>(5)));
        return existed;
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

    /// <summary>A kept week's count is at least its known total and the suppressed cells' lower bounds…</summary>
    private const string WeekLow = "w.total + w.low";
    /// <summary>…and at most that with their upper bounds, unbounded while one of them has none.</summary>
    private const string WeekHigh = "CASE WHEN w.unbounded > 0 THEN NULL ELSE w.total + w.high END";

    /// <summary>
    /// Weekly totals of the given series between two weeks, from the kept totals of their series-total cells
    /// (sex and age group "_T", or not broken down): breakdown cells are never summed, which would count each
    /// event twice or more. A week with a suppressed series total has no total: its true count is unknown.
    /// </summary>
    public static async Task<Dictionary<SeriesKey, WeeklySeries>> LoadAsync(
        NpgsqlConnection connection, IEnumerable<SeriesKey> keys, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var list = keys.Distinct().ToList();
        var totals = new Dictionary<SeriesKey, Dictionary<DateOnly, WeekCount>>();
        await using var cmd = new NpgsqlCommand(
            $"""
            SELECT k.n, w.period, {WeekLow}, {WeekHigh}
            FROM unnest(@levels, @countries, @points, @nationalities, @categories) WITH ORDINALITY AS k(level, c, b, na, ca, n)
            JOIN series_weeks w ON w.level = k.level AND w.reporting_country = k.c AND w.border_point = k.b AND w.nationality = k.na
                               AND w.category = k.ca AND w.period BETWEEN @from AND @to AND w.cells > 0
            """, connection);
        cmd.Parameters.AddSeriesKeys(list);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var key = list[(int)reader.GetInt64(0) - 1];
                if (!totals.TryGetValue(key, out var series)) totals[key] = series = [];
                series[reader.GetFieldValue<DateOnly>(1)] = new WeekCount(reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3));
            }
        var reported = await ReportedWeeksAsync(connection, totals.Keys.Select(k => k.Country).Distinct().ToArray(), from, to, ct);
        return totals.ToDictionary(t => t.Key, t => new WeeklySeries(t.Key, t.Value, reported.GetValueOrDefault(t.Key.Country)));
    }

    /// <summary>Records, in the batch's transaction, the weeks its country published anything in (<see cref="ReportedWeeksAsync"/>).</summary>
    public static async Task RecordReportedWeeksAsync(NpgsqlConnection connection, string country, IEnumerable<DateOnly> weeks, CancellationToken ct)
    {
        // Most batches publish weeks known already: those are left alone, so that batches of one country do not wait on each other's rows.
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO reported_weeks (reporting_country, period)
            SELECT @country, p FROM unnest(@weeks) AS p
            WHERE NOT EXISTS (SELECT 1 FROM reported_weeks r WHERE r.reporting_country = @country AND r.period = p)
            ON CONFLICT DO NOTHING
            """, connection);
        cmd.Parameters.AddWithValue("country", country);
        cmd.Parameters.AddWithValue("weeks", weeks.Distinct().Order().ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The weeks each of <paramref name="countries"/> published anything in (<see cref="SeriesKey.Country"/>; the total code for
    /// every country, any of them): a series that lacks such a week had nothing to report in it, since national files leave
    /// out rows of zero.
    /// </summary>
    private static async Task<Dictionary<string, HashSet<DateOnly>>> ReportedWeeksAsync(
        NpgsqlConnection connection, string[] countries, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var reported = countries.ToDictionary(c => c, _ => new HashSet<DateOnly>());
        if (countries.Length == 0) return reported;
        var anyCountry = reported.TryGetValue(SeriesKey.All, out var region);
        await using var cmd = new NpgsqlCommand(
            """
            SELECT reporting_country, period FROM reported_weeks
            WHERE period BETWEEN @from AND @to AND (@any OR reporting_country = ANY(@countries))
            """, connection);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        cmd.Parameters.AddWithValue("any", anyCountry);
        cmd.Parameters.AddWithValue("countries", countries);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var week = reader.GetFieldValue<DateOnly>(1);
            if (reported.TryGetValue(reader.GetString(0), out var weeks)) weeks.Add(week);
            region?.Add(week);
        }
        return reported;
    }

    /// <summary>
    /// Every series (of every level) that has a count in <paramref name="week"/>, with its weekly totals from
    /// <paramref name="historyWeeks"/> weeks before it: what re-judging that week of every series reads, in one query.
    /// </summary>
    public static async Task<List<WeeklySeries>> LoadWeekAsync(NpgsqlDataSource db, DateOnly week, int historyWeeks, CancellationToken ct)
    {
        var all = new List<WeeklySeries>();
        // One row per series, its weeks as arrays: the keys travel once per series, not once per week (a series of
        // three years of history used to cost 160 rows of five strings each). One pass over the weeks in reach, not a
        // join of the week with its history: a series is read when the last week it has is the judged one.
        await using var cmd = db.CreateCommand(
            $"""
            SELECT level, reporting_country, border_point, nationality, category,
                   array_agg(period), array_agg({WeekLow}), array_agg({WeekHigh})
            FROM series_weeks w
            WHERE period BETWEEN @from AND @week AND cells > 0
            GROUP BY 1, 2, 3, 4, 5
            HAVING max(period) = @week
            """);
        cmd.Parameters.AddWithValue("week", week);
        cmd.Parameters.AddWithValue("from", week.AddDays(-7 * historyWeeks));
        cmd.CommandTimeout = 600;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var levels = new Dictionary<string, SeriesLevel>();
        while (await reader.ReadAsync(ct))
        {
            var name = reader.GetString(0);
            if (!levels.TryGetValue(name, out var level)) levels[name] = level = SeriesLevel.Parse(name);
            var key = new SeriesKey(level, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
            var periods = reader.GetFieldValue<DateOnly[]>(5);
            var lows = reader.GetFieldValue<long[]>(6);
            var highs = reader.GetFieldValue<long?[]>(7);
            var totals = new Dictionary<DateOnly, WeekCount>(periods.Length);
            for (var i = 0; i < periods.Length; i++) totals[periods[i]] = new WeekCount(lows[i], highs[i]);
            all.Add(new WeeklySeries(key, totals));
        }
        return all;
    }

    /// <summary>
    /// Makes the kept weekly totals match the watched levels, before any batch is consumed: a level not built
    /// yet is summed from the stored cells in one statement, a level no longer watched is removed (its totals
    /// would miss the batches consumed while it was not watched).
    /// </summary>
    public static async Task BuildLevelsAsync(NpgsqlDataSource db, IReadOnlyList<SeriesLevel> levels, ILogger logger, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE series_levels IN EXCLUSIVE MODE", connection, transaction))
            await lockTable.ExecuteNonQueryAsync(ct);
        var built = new HashSet<string>();
        await using (var read = new NpgsqlCommand("SELECT level FROM series_levels", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) built.Add(reader.GetString(0));
        var watched = levels.Select(l => l.Name).ToHashSet();
        foreach (var gone in built.Except(watched))
        {
            await using var cmd = new NpgsqlCommand(
                "DELETE FROM series_weeks WHERE level = @level; DELETE FROM series_levels WHERE level = @level", connection, transaction);
            cmd.Parameters.AddWithValue("level", gone);
            await cmd.ExecuteNonQueryAsync(ct);
            logger.LogInformation("Series level {Level} is no longer watched: its weekly totals are removed", gone);
        }
        foreach (var level in levels.Where(l => !built.Contains(l.Name)))
        {
            await using var cmd = new NpgsqlCommand(
                """
                INSERT INTO series_weeks (level, reporting_country, border_point, nationality, category, period, total, unknown, cells,
                                          low, high, unbounded)
                SELECT @level, CASE WHEN @country THEN reporting_country ELSE '_T' END, CASE WHEN @point THEN border_point ELSE '_T' END,
                       CASE WHEN @nationality THEN nationality ELSE '_T' END, CASE WHEN @category THEN category ELSE '_T' END,
                       period, coalesce(sum(count), 0), count(*) FILTER (WHERE count IS NULL), count(*),
                       coalesce(sum(lower_bound) FILTER (WHERE count IS NULL), 0), coalesce(sum(upper_bound) FILTER (WHERE count IS NULL), 0),
                       count(*) FILTER (WHERE count IS NULL AND upper_bound IS NULL)
                FROM cells WHERE NOT deleted AND sex IN ('_T', '') AND age_group IN ('_T', '') AND reporting_country IS NOT NULL
                GROUP BY 1, 2, 3, 4, 5, 6;
                INSERT INTO series_levels (level) VALUES (@level);
                -- Verdicts kept from when the level was last watched rest on totals that missed the batches since.
                UPDATE judgements SET basis = NULL WHERE level = @level AND basis IS NOT NULL;
                """, connection, transaction);
            cmd.Parameters.AddWithValue("level", level.Name);
            cmd.Parameters.AddWithValue("country", level.Has(SeriesDimensions.Country));
            cmd.Parameters.AddWithValue("point", level.Has(SeriesDimensions.BorderPoint));
            cmd.Parameters.AddWithValue("nationality", level.Has(SeriesDimensions.Nationality));
            cmd.Parameters.AddWithValue("category", level.Has(SeriesDimensions.Category));
            await cmd.ExecuteNonQueryAsync(ct);
            logger.LogInformation("Series level {Level} built from the stored cells", level.Name);
        }
        await transaction.CommitAsync(ct);
    }
}
