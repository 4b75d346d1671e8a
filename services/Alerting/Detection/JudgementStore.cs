using EarlyWarning.Detection.Surveillance;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Alerting.Detection;

/// <summary>The verdict on every judged week of a series, kept so that the lifecycle and the analyst API read them rather than judging again.</summary>
internal static class JudgementStore
{
    public static async Task SaveAsync(NpgsqlConnection connection, IReadOnlyList<(SeriesKey Key, Verdict Verdict, VerdictBasis? Basis)> verdicts, CancellationToken ct)
    {
        if (verdicts.Count == 0) return;
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO judgements (series_key, period, observed, expected, upper_bound, algorithm, surge, probability, reason,
                                    level, reporting_country, border_point, nationality, category, basis)
            SELECT * FROM unnest(@keys, @periods, @observed, @expected, @bounds, @algorithms, @surges, @probabilities, @reasons,
                                 @levels, @countries, @points, @nationalities, @categories, @bases)
            ON CONFLICT (series_key, period) DO UPDATE SET
                observed = excluded.observed, expected = excluded.expected, upper_bound = excluded.upper_bound, algorithm = excluded.algorithm,
                surge = excluded.surge, probability = excluded.probability, reason = excluded.reason, judged_at = clock_timestamp(),
                basis = excluded.basis
            """, connection);
        cmd.Parameters.AddWithValue("keys", verdicts.Select(v => v.Key.ToString()).ToArray());
        cmd.Parameters.AddWithValue("periods", verdicts.Select(v => v.Verdict.Week).ToArray());
        cmd.Parameters.AddWithValue("observed", verdicts.Select(v => v.Verdict.Observed).ToArray());
        cmd.Parameters.AddWithValue("expected", verdicts.Select(v => v.Verdict.Expected).ToArray());
        cmd.Parameters.AddWithValue("bounds", verdicts.Select(v => v.Verdict.UpperBound).ToArray());
        cmd.Parameters.AddWithValue("algorithms", verdicts.Select(v => v.Verdict.Algorithm).ToArray());
        cmd.Parameters.AddWithValue("surges", verdicts.Select(v => v.Verdict.Surge).ToArray());
        cmd.Parameters.AddWithValue("probabilities", verdicts.Select(v => v.Verdict.Probability).ToArray());
        cmd.Parameters.AddWithValue("reasons", verdicts.Select(v => v.Verdict.Reason).ToArray());
        cmd.Parameters.AddSeriesKeys(verdicts.Select(v => v.Key));
        cmd.Parameters.AddWithValue("bases", NpgsqlDbType.Array | NpgsqlDbType.Bytea, verdicts.Select(v => v.Basis?.ToBytes()).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// For series whose one changed week is the last they report within <c>reach</c> weeks (no verdict after it rests on
    /// it), the week's count and the basis of its stored verdict. A series is left out when its week has no basis (never
    /// judged, judged before bases were kept, or without a count then) or no count now: it is judged from its history.
    /// </summary>
    public static async Task<List<(SeriesKey Key, DateOnly Week, long? Count, VerdictBasis Basis)>> LoadBasesAsync(
        NpgsqlConnection connection, IReadOnlyList<(SeriesKey Key, DateOnly Week, int ReachWeeks)> weeks, CancellationToken ct)
    {
        var found = new List<(SeriesKey, DateOnly, long?, VerdictBasis)>();
        if (weeks.Count == 0) return found;
        await using var cmd = new NpgsqlCommand(
            """
            SELECT k.n, CASE WHEN w.unknown > 0 THEN NULL ELSE w.total END, j.basis
            FROM unnest(@keys, @levels, @countries, @points, @nationalities, @categories, @weeks, @reach)
                 WITH ORDINALITY AS k(series_key, level, c, b, na, ca, week, reach, n)
            JOIN judgements j ON j.series_key = k.series_key AND j.period = k.week AND j.basis IS NOT NULL
            JOIN series_weeks w ON w.level = k.level AND w.reporting_country = k.c AND w.border_point = k.b AND w.nationality = k.na
                               AND w.category = k.ca AND w.period = k.week AND w.cells > 0
            WHERE NOT EXISTS (
                SELECT FROM series_weeks l
                WHERE l.level = k.level AND l.reporting_country = k.c AND l.border_point = k.b AND l.nationality = k.na AND l.category = k.ca
                  AND l.period > k.week AND l.period <= k.week + 7 * k.reach AND l.cells > 0)
            """, connection);
        cmd.Parameters.AddWithValue("keys", weeks.Select(w => w.Key.ToString()).ToArray());
        cmd.Parameters.AddSeriesKeys(weeks.Select(w => w.Key));
        cmd.Parameters.AddWithValue("weeks", weeks.Select(w => w.Week).ToArray());
        cmd.Parameters.AddWithValue("reach", weeks.Select(w => w.ReachWeeks).ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (key, week, _) = weeks[(int)reader.GetInt64(0) - 1];
            if (VerdictBasis.FromBytes(reader.GetFieldValue<byte[]>(2)) is { } basis)
                found.Add((key, week, reader.IsDBNull(1) ? null : reader.GetInt64(1), basis));
        }
        return found;
    }

    /// <summary>
    /// <see cref="LoadBasesAsync"/> for every series of the given levels whose verdict on <paramref name="week"/> has a basis and
    /// that reports no week after it within <paramref name="reachWeeks"/>: what re-judging that week of every series reads.
    /// </summary>
    public static async Task<List<(SeriesKey Key, long? Count, VerdictBasis Basis)>> LoadWeekBasesAsync(
        NpgsqlConnection connection, IReadOnlyList<SeriesLevel> levels, DateOnly week, int reachWeeks, CancellationToken ct)
    {
        var found = new List<(SeriesKey, long?, VerdictBasis)>();
        // Week-major throughout (series_weeks_period, judgements_level_period): the week's rows, not one lookup per series.
        await using var cmd = new NpgsqlCommand(
            """
            SELECT j.level, j.reporting_country, j.border_point, j.nationality, j.category, CASE WHEN w.unknown > 0 THEN NULL ELSE w.total END, j.basis
            FROM judgements j
            JOIN series_weeks w ON w.level = j.level AND w.reporting_country = j.reporting_country AND w.border_point = j.border_point
                               AND w.nationality = j.nationality AND w.category = j.category AND w.period = j.period AND w.cells > 0
            WHERE j.level = ANY(@levels) AND j.period = @week AND j.basis IS NOT NULL AND w.level = ANY(@levels) AND w.period = @week
              AND NOT EXISTS (
                  SELECT FROM series_weeks l
                  WHERE l.level = j.level AND l.reporting_country = j.reporting_country AND l.border_point = j.border_point
                    AND l.nationality = j.nationality AND l.category = j.category AND l.level = ANY(@levels)
                    AND l.period > @week AND l.period <= @until AND l.cells > 0)
            """, connection);
        cmd.Parameters.AddWithValue("levels", levels.Select(l => l.Name).ToArray());
        cmd.Parameters.AddWithValue("week", week);
        cmd.Parameters.AddWithValue("until", week.AddDays(7 * reachWeeks));
        cmd.CommandTimeout = 600;
        var byName = levels.ToDictionary(l => l.Name);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = new SeriesKey(byName[reader.GetString(0)], reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
            if (VerdictBasis.FromBytes(reader.GetFieldValue<byte[]>(6)) is { } basis)
                found.Add((key, reader.IsDBNull(5) ? null : reader.GetInt64(5), basis));
        }
        return found;
    }

    /// <summary>
    /// Refreshes the planner's statistics of the verdicts, as autovacuum does after a week's verdicts are written; within a
    /// transaction that wrote them, the only way they are counted (without, a whole week looks like a handful of rows).
    /// </summary>
    public static async Task AnalyzeAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("ANALYZE judgements", connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The verdicts of the given series from a week on, oldest first.</summary>
    public static async Task<Dictionary<string, List<Verdict>>> LoadAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> seriesKeys, DateOnly from, CancellationToken ct)
    {
        var verdicts = new Dictionary<string, List<Verdict>>();
        await using var cmd = new NpgsqlCommand(
            """
            SELECT series_key, period, observed, expected, upper_bound, algorithm, surge, probability, reason
            FROM judgements WHERE series_key = ANY(@keys) AND period >= @from ORDER BY series_key, period
            """, connection);
        cmd.Parameters.AddWithValue("keys", seriesKeys.ToArray());
        cmd.Parameters.AddWithValue("from", from);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = reader.GetString(0);
            if (!verdicts.TryGetValue(key, out var list)) verdicts[key] = list = [];
            list.Add(Read(reader, 1));
        }
        return verdicts;
    }

    /// <summary>Reads a verdict from the columns period, observed, expected, upper_bound, algorithm, surge, probability, reason starting at <paramref name="at"/>.</summary>
    public static Verdict Read(NpgsqlDataReader reader, int at) => new(
        reader.GetFieldValue<DateOnly>(at),
        reader.IsDBNull(at + 1) ? null : reader.GetInt64(at + 1),
        reader.IsDBNull(at + 2) ? null : reader.GetDouble(at + 2),
        reader.IsDBNull(at + 3) ? null : reader.GetDouble(at + 3),
        reader.IsDBNull(at + 4) ? null : reader.GetString(at + 4),
        reader.GetBoolean(at + 5),
        reader.IsDBNull(at + 6) ? null : reader.GetDouble(at + 6),
        reader.IsDBNull(at + 7) ? null : reader.GetString(at + 7));
}
