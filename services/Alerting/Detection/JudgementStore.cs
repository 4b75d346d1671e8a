using EarlyWarning.Detection.Surveillance;
using Npgsql;

namespace EarlyWarning.Alerting.Detection;

/// <summary>The verdict on every judged week of a series, kept so that the lifecycle and the analyst API read them rather than judging again.</summary>
internal static class JudgementStore
{
    public static async Task SaveAsync(NpgsqlConnection connection, IReadOnlyList<(SeriesKey Key, Verdict Verdict)> verdicts, CancellationToken ct)
    {
        if (verdicts.Count == 0) return;
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO judgements (series_key, period, observed, expected, upper_bound, algorithm, surge, probability, reason,
                                    level, reporting_country, border_point, nationality, category)
            SELECT * FROM unnest(@keys, @periods, @observed, @expected, @bounds, @algorithms, @surges, @probabilities, @reasons,
                                 @levels, @countries, @points, @nationalities, @categories)
            ON CONFLICT (series_key, period) DO UPDATE SET
                observed = excluded.observed, expected = excluded.expected, upper_bound = excluded.upper_bound, algorithm = excluded.algorithm,
                surge = excluded.surge, probability = excluded.probability, reason = excluded.reason, judged_at = clock_timestamp()
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
        cmd.Parameters.AddWithValue("levels", verdicts.Select(v => v.Key.Level.Name).ToArray());
        cmd.Parameters.AddWithValue("countries", verdicts.Select(v => v.Key.Country).ToArray());
        cmd.Parameters.AddWithValue("points", verdicts.Select(v => v.Key.BorderPoint).ToArray());
        cmd.Parameters.AddWithValue("nationalities", verdicts.Select(v => v.Key.Nationality).ToArray());
        cmd.Parameters.AddWithValue("categories", verdicts.Select(v => v.Key.Category).ToArray());
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
