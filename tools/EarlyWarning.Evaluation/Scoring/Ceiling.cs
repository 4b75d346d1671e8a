using EarlyWarning.Detection.Surveillance;
using EarlyWarning.Evaluation.Generation;

namespace EarlyWarning.Evaluation.Scoring;

/// <summary>
/// The ceiling: the service's own judge and lifecycle (SeriesJudge, AlertLifecycle, the same policy and overrides) run week
/// by week in process on the unprotected harmonized series: the national series mapped to regional codes and summed to
/// each watched level, with no agreement in between (no suppression, no gaps: a week without events is a zero).
/// </summary>
internal static class Ceiling
{
    /// <summary>Each watched level's series: the sum of the finest series it contains, week by week.</summary>
    public static Dictionary<SeriesId, double[]> Series(Dataset data, DetectionPolicy policy)
    {
        var series = new Dictionary<SeriesId, double[]>();
        foreach (var level in policy.EffectiveLevels)
        foreach (var s in data.Series)
        {
            var id = SeriesId.Containing(level, s.Harmonized);
            if (!series.TryGetValue(id, out var counts)) series[id] = counts = new double[data.Weeks.Length];
            for (var t = 0; t < counts.Length; t++) counts[t] += s.Totals[t];
        }
        return series;
    }

    /// <summary>The first week a series has an event: before it, the series does not exist yet.</summary>
    public static int FirstWeek(double[] counts)
    {
        var first = Array.FindIndex(counts, c => c > 0);
        return first < 0 ? counts.Length : first;
    }

    public static DetectionRun Run(Dataset data, DetectionPolicy policy)
    {
        var series = Series(data, policy).ToList();
        var levels = policy.EffectiveLevels.ToDictionary(l => l.Name);
        var judges = new System.Collections.Concurrent.ConcurrentDictionary<int, (DetectionPolicy Policy, SeriesJudge Judge)>();
        var alerts = new List<AlertRecord>[series.Count];
        var judged = new bool[series.Count][];
        var detectors = new List<string?>[series.Count];
        Parallel.For(0, series.Count, i =>
        {
            var (id, counts) = series[i];
            var level = levels[id.Level];
            var country = level.Has(SeriesDimensions.Country) ? id.Parts.Country : null;
            var (own, judge) = judges.GetOrAdd(policy.OverrideIndex(level, country), _ => { var p = policy.For(level, country); return (p, new SeriesJudge(p)); });
            var first = FirstWeek(counts);
            var verdicts = new List<Verdict>(counts.Length);
            judged[i] = new bool[counts.Length];
            for (var t = first; t < counts.Length; t++)
            {
                var from = Math.Max(first, t - own.HistoryWeeks);
                var verdict = judge.Judge(counts[from..(t + 1)], data.Weeks[t]);
                verdicts.Add(verdict);
                judged[i][t] = verdict.Judged;
                if (verdict.Judged) (detectors[i] ??= []).Add(verdict.Algorithm);
            }
            alerts[i] = AlertLifecycle.Episodes(verdicts, own.Lifecycle, own.Severity)
                .Select(e => new AlertRecord(id, data.WeekIndex(e.Start), data.WeekIndex(e.LastSurgeWeek), e.ClosedWeek is { } c ? data.WeekIndex(c) : null,
                    e.Closed ? "closed" : "active", e.Severity.ToString()) { Algorithm = e.Peak.Algorithm })
                .ToList();
        });
        var byDetector = series.SelectMany((s, i) => (detectors[i] ?? []).Select(a => (s.Key.Level, a ?? "?")))
            .GroupBy(x => x).ToDictionary(g => g.Key, g => (long)g.Count());
        return new DetectionRun("ceiling", alerts.SelectMany(a => a).ToList(), series.Select((s, i) => (s.Key, judged[i])).ToDictionary(x => x.Key, x => x.Item2))
            { JudgedByDetector = byDetector };
    }
}
