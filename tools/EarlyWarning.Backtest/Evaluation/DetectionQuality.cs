using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Backtest.Evaluation;

/// <summary>How one planted surge was found: the alerts that overlap it and the weeks from its start to the first surge week judged.</summary>
internal sealed record SurgeOutcome(EvaluationSeries Series, PlantedSurge Surge, int Alerts, int? WeeksToFirstAlert);

/// <summary>Detection quality of a policy on evaluation data.</summary>
internal sealed record QualityReport(List<SurgeOutcome> Surges, int FalseAlerts, long WeeksJudged, double Seconds,
    Dictionary<string, (int FalseAlerts, long WeeksJudged)> ByDetector)
{
    public double FalseAlertsPer1000 => WeeksJudged == 0 ? 0 : 1000.0 * FalseAlerts / WeeksJudged;

    /// <summary>Surges the goal is about: 2.5 times the mean or more, three weeks or more, on series of 10 a week or more.</summary>
    public IEnumerable<SurgeOutcome> GoalSurges => Surges.Where(s => s.Surge.Size >= 2.5 && s.Surge.Duration >= 3 && s.Series.Level >= 10);

    /// <summary>Share of the goal's surges alerted in their first two weeks (the week it starts or the one after).</summary>
    public double GoalDetection => GoalSurges.ToList() is { Count: > 0 } goal ? goal.Count(s => s.WeeksToFirstAlert <= 1) / (double)goal.Count : 0;

    public bool GoalMet => GoalDetection >= 0.9 && FalseAlertsPer1000 <= 2 && GoalSurges.Where(s => s.Alerts > 0).All(s => s.Alerts == 1);
}

/// <summary>Runs the service's detection (the same judge and lifecycle) over evaluation series, week by week as the data would arrive.</summary>
internal static class DetectionQuality
{
    private static readonly DateOnly Week0 = new(2020, 1, 6);

    public static QualityReport Measure(IReadOnlyList<EvaluationSeries> series, DetectionPolicy policy)
    {
        var judge = new SeriesJudge(policy);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = new SurgeOutcome?[series.Count];
        var falseAlerts = new int[series.Count];
        var judged = new long[series.Count];
        var byDetector = new Dictionary<string, (int FalseAlerts, long WeeksJudged)>[series.Count];
        Parallel.For(0, series.Count, i =>
        {
            var s = series[i];
            var verdicts = new List<Verdict>(s.Counts.Length);
            for (var t = 0; t < s.Counts.Length; t++)
            {
                var from = Math.Max(0, t - policy.HistoryWeeks);
                verdicts.Add(judge.Judge(s.Counts[from..(t + 1)], Week0.AddDays(7 * t)));
            }
            judged[i] = verdicts.Count(v => v.Judged);
            var episodes = AlertLifecycle.Episodes(verdicts, policy.Lifecycle, policy.Severity);
            int Index(DateOnly week) => (week.DayNumber - Week0.DayNumber) / 7;
            bool Overlaps(Episode e, PlantedSurge p) => Index(e.Start) <= p.End && Index(e.LastSurgeWeek) >= p.Start;
            var falseOnes = episodes.Where(e => s.Surge is null || !Overlaps(e, s.Surge)).ToList();
            falseAlerts[i] = falseOnes.Count;
            byDetector[i] = verdicts.Where(v => v.Judged).GroupBy(v => v.Algorithm!).ToDictionary(g => g.Key,
                g => (falseOnes.Count(e => verdicts.First(v => v.Week == e.Start).Algorithm == g.Key), (long)g.Count()));
            if (s.Surge is { } surge)
            {
                var first = verdicts.Skip(surge.Start).Take(surge.Duration).FirstOrDefault(v => v.Surge);
                outcomes[i] = new SurgeOutcome(s, surge, episodes.Count(e => Overlaps(e, surge)), first is null ? null : Index(first.Week) - surge.Start);
            }
        });
        var detectors = byDetector.SelectMany(d => d).GroupBy(d => d.Key)
            .ToDictionary(g => g.Key, g => (g.Sum(d => d.Value.FalseAlerts), g.Sum(d => d.Value.WeeksJudged)));
        return new QualityReport(outcomes.OfType<SurgeOutcome>().ToList(), falseAlerts.Sum(), judged.Sum(), clock.Elapsed.TotalSeconds, detectors);
    }

    public static void Print(TextWriter output, string name, QualityReport report)
    {
        output.WriteLine($"configuration: {name}");
        output.WriteLine($"  surges planted {report.Surges.Count}, series-weeks judged {report.WeeksJudged:N0}, {report.Seconds:F1} s");
        output.WriteLine("  probability of detection in the surge's first two weeks (any week of it), series of 10 a week or more:");
        output.WriteLine("  " + "duration \\ size".PadRight(18) + string.Concat(EvaluationData.Sizes.Select(s => $"{s,14:0.0}x")));
        foreach (var duration in EvaluationData.Durations)
        {
            var cells = EvaluationData.Sizes.Select(size =>
            {
                var cell = report.Surges.Where(o => o.Surge.Duration == duration && o.Surge.Size == size && o.Series.Level >= 10).ToList();
                if (cell.Count == 0) return $"{"-",15}";
                var early = cell.Count(o => o.WeeksToFirstAlert <= 1) * 100.0 / cell.Count;
                var any = cell.Count(o => o.WeeksToFirstAlert is not null) * 100.0 / cell.Count;
                return $"{$"{early:0}% ({any:0}%)",15}";
            });
            output.WriteLine("  " + $"{duration} week(s)".PadRight(18) + string.Concat(cells));
        }
        var delays = report.Surges.Where(o => o.WeeksToFirstAlert is not null).Select(o => o.WeeksToFirstAlert!.Value).Order().ToList();
        var detected = report.Surges.Where(o => o.Alerts > 0).ToList();
        output.WriteLine($"  weeks from surge start to first alert: median {(delays.Count > 0 ? delays[delays.Count / 2] : 0)}, " +
                         $"share at 0: {Share(delays, 0)}, at 1: {Share(delays, 1)}, later: {(delays.Count == 0 ? 0 : delays.Count(d => d > 1) * 100.0 / delays.Count):0}%");
        output.WriteLine($"  alerts per detected surge: {(detected.Count == 0 ? 0 : detected.Average(o => o.Alerts)):0.00} (more than one: {detected.Count(o => o.Alerts > 1)})");
        output.WriteLine($"  false alerts: {report.FalseAlerts} = {report.FalseAlertsPer1000:0.00} per 1,000 series-weeks judged");
        foreach (var (detector, (falseAlerts, weeks)) in report.ByDetector.OrderBy(d => d.Key))
            output.WriteLine($"    {detector,-26} {weeks,9:N0} weeks judged, {falseAlerts,5} false alerts = {(weeks == 0 ? 0 : 1000.0 * falseAlerts / weeks),6:0.00} per 1,000");
        output.WriteLine($"  goal (>= 90% of surges >= 2.5x lasting >= 3 weeks on series >= 10/week alerted within 2 weeks; <= 2 false alerts per 1,000 series-weeks; one alert per surge): " +
                         $"{report.GoalDetection * 100:0.0}% detected, {(report.GoalMet ? "met" : "NOT met")}");
    }

    private static string Share(List<int> delays, int d) => delays.Count == 0 ? "0%" : $"{delays.Count(x => x == d) * 100.0 / delays.Count:0}%";
}
