using EarlyWarning.Detection.Surveillance;
using EarlyWarning.Evaluation.Generation;

namespace EarlyWarning.Evaluation.Scoring;

/// <summary>How one planted surge was seen at one level: the alerts of the series containing it that overlap its weeks.</summary>
/// <param name="Uplift">What the surge adds to the series it is judged in: the finest series' usual level times (size − 1), over
/// that series' mean of the eight weeks before the surge (at the finest level, size − 1 roughly; at a country total, often a few percent).</param>
internal sealed record SurgeOutcome(PlantedSurge Surge, string Level, SeriesId Series, int Alerts, int? WeeksToFirstAlert, double Uplift = double.NaN)
{
    /// <summary>Detected in time: an alert of its series overlaps its weeks and had started by its second week.</summary>
    public bool Early => WeeksToFirstAlert is <= 1;

    /// <summary>Detected in any week of it.</summary>
    public bool Any => Alerts > 0;
}

/// <summary>An alert with what it matched: the planted surges of its series it overlaps (none: a false alert).</summary>
internal sealed record AlertOutcome(AlertRecord Alert, IReadOnlyList<int> Surges)
{
    public bool False => !Alert.Withdrawn && Surges.Count == 0;
}

/// <summary>The figures of one level for one side (pipeline or ceiling).</summary>
internal sealed record LevelScore(string Level, List<SurgeOutcome> Surges, List<AlertOutcome> Alerts, long WeeksJudged, long WeeksWithYear, long WeeksWithYearJudged)
{
    /// <summary>At the finest level: false alerts and series-weeks judged by the size class of the series.</summary>
    public Dictionary<SizeClass, (int FalseAlerts, long WeeksJudged)> ByClass { get; init; } = [];

    /// <summary>False alerts (by the detector of their peak week) and series-weeks judged, per detector.</summary>
    public Dictionary<string, (int FalseAlerts, long WeeksJudged)> ByDetector { get; init; } = [];

    public int FalseAlerts => Alerts.Count(a => a.False);
    public int Withdrawn => Alerts.Count(a => a.Alert.Withdrawn);
    public double FalsePer1000 => WeeksJudged == 0 ? 0 : 1000.0 * FalseAlerts / WeeksJudged;
    public double JudgedShare => WeeksWithYear == 0 ? 0 : (double)WeeksWithYearJudged / WeeksWithYear;
    public double EarlyRecall => Share(Surges, s => s.Early);
    public double AnyRecall => Share(Surges, s => s.Any);

    public static double Share(IReadOnlyCollection<SurgeOutcome> surges, Func<SurgeOutcome, bool> hit) => surges.Count == 0 ? double.NaN : surges.Count(hit) / (double)surges.Count;
}

/// <summary>Scores a run against the planted surges, level by level. The same code scores the pipeline and the ceiling.</summary>
internal static class Scorer
{
    /// <summary>Weeks of history a week needs to be counted in the judged share (a year).</summary>
    public const int YearOfHistory = 52;

    public static List<LevelScore> Score(Dataset data, DetectionPolicy policy, DetectionRun run, IReadOnlyDictionary<SeriesId, double[]> truth)
    {
        var scores = new List<LevelScore>();
        foreach (var level in policy.EffectiveLevels)
        {
            var alerts = run.Alerts.Where(a => a.Series.Level == level.Name).ToList();
            var bySeries = alerts.Where(a => !a.Withdrawn).ToLookup(a => a.Series);
            var surgesBySeries = data.Surges.ToLookup(s => SeriesId.Containing(level, s.Series.Harmonized));
            var outcomes = data.Surges.Select(s =>
            {
                var id = SeriesId.Containing(level, s.Series.Harmonized);
                var matching = bySeries[id].Where(a => a.Overlaps(s)).ToList();
                int? weeks = matching.Count == 0 ? null : matching.Min(a => Math.Max(0, a.Start - s.Start));
                var before = truth.TryGetValue(id, out var counts) ? counts[Math.Max(0, s.Start - 8)..s.Start].DefaultIfEmpty(0).Average() : 0;
                return new SurgeOutcome(s, level.Name, id, matching.Count, weeks, before > 0 ? s.Series.Level * (s.Size - 1) / before : double.PositiveInfinity);
            }).ToList();
            var alertOutcomes = alerts.Select(a => new AlertOutcome(a, surgesBySeries[a.Series].Where(a.Overlaps).Select(s => s.Id).ToList())).ToList();
            long judged = 0, withYear = 0, withYearJudged = 0;
            foreach (var (id, weeks) in run.Judged)
                if (id.Level == level.Name) judged += weeks.Count(j => j);
            foreach (var (id, counts) in truth)
            {
                if (id.Level != level.Name) continue;
                var first = Ceiling.FirstWeek(counts);
                var weeks = run.Judged.GetValueOrDefault(id);
                for (var t = first + YearOfHistory; t < counts.Length; t++)
                {
                    withYear++;
                    if (weeks is not null && weeks[t]) withYearJudged++;
                }
            }
            var byClass = new Dictionary<SizeClass, (int, long)>();
            if (level.IsFinest)
            {
                var classes = data.Series.ToDictionary(x => new SeriesId(level.Name, x.Harmonized), x => x.SizeClass);
                foreach (var k in SizeClasses.All)
                    byClass[k] = (alertOutcomes.Count(a => a.False && classes.GetValueOrDefault(a.Alert.Series, SizeClass.Under4) == k),
                        run.Judged.Where(j => j.Key.Level == level.Name && classes.GetValueOrDefault(j.Key, SizeClass.Under4) == k).Sum(j => (long)j.Value.Count(x => x)));
            }
            scores.Add(new LevelScore(level.Name, outcomes, alertOutcomes, judged, withYear, withYearJudged) {
                ByClass = byClass,
                ByDetector = run.JudgedByDetector.Where(d => d.Key.Level == level.Name).Select(d => d.Key.Algorithm)
                    .Union(alertOutcomes.Where(a => a.False).Select(a => a.Alert.Algorithm ?? "?"))
                    .ToDictionary(d => d, d => (alertOutcomes.Count(a => a.False && (a.Alert.Algorithm ?? "?") == d), run.JudgedByDetector.GetValueOrDefault((level.Name, d)))),
            });
        }
        return scores;
    }
}
