using EarlyWarning.Detection.Surveillance;
using EarlyWarning.Evaluation.Generation;

namespace EarlyWarning.Evaluation.Scoring;

/// <summary>A goal line: what it asks, the pipeline's figure, the ceiling's for reference, met or not.</summary>
internal sealed record Goal(string Text, string Pipeline, string Ceiling, bool Met);

/// <summary>Prints the pipeline and the ceiling side by side, level by level, then the goal lines.</summary>
internal static class Report
{
    private const int Label = 34, Column = 22;

    public static void Print(TextWriter output, Dataset data, DetectionPolicy policy, List<LevelScore> pipeline, List<LevelScore> ceiling)
    {
        output.WriteLine();
        output.WriteLine("Detection quality, pipeline (through the agreements) | ceiling (same rules, unprotected series)");
        PrintLevels(output, [("pipeline", pipeline), ("ceiling", ceiling)]);
        output.WriteLine();
        var goals = Goals(data, policy, pipeline, ceiling);
        output.WriteLine("Goals" + new string(' ', 80) + $"{"pipeline",-11}{"ceiling",-11}");
        foreach (var g in goals)
            output.WriteLine($"  [{(g.Met ? "met" : "NOT met"),-7}] {g.Text,-73}{g.Pipeline,-11}{g.Ceiling,-11}");
        output.WriteLine($"  {goals.Count(g => g.Met)} of {goals.Count} goals met");
    }

    /// <summary>The figures of each level, one column per side (the ceiling alone, or the pipeline and the ceiling).</summary>
    public static void PrintLevels(TextWriter output, IReadOnlyList<(string Name, List<LevelScore> Levels)> sides)
    {
        output.WriteLine("  recall: a surge is detected when an alert of its series (at a coarser level: of the series containing it) overlaps its weeks;");
        output.WriteLine("  first figure: the alert had started by the surge's second week; in brackets: in any week of it. Withdrawn alerts count for nothing.");
        for (var i = 0; i < sides[0].Levels.Count; i++)
        {
            var level = sides.Select(s => s.Levels[i]).ToList();
            void Line(string label, Func<LevelScore, string> cell) => output.WriteLine($"  {label,-Label}{string.Concat(level.Select(l => $"{cell(l),-Column}"))}");
            output.WriteLine();
            output.WriteLine($"level {level[0].Level}: {level[0].Surges.Count} planted surges");
            output.WriteLine($"  {"",-Label}{string.Concat(sides.Select(s => $"{s.Name,-Column}"))}");
            Line("recall, 2 weeks (any week)", l => Recall(l.Surges));
            foreach (var size in GeneratorOptions.Sizes) Line($"  size {size:0.0}x", l => Recall(l.Surges.Where(s => s.Surge.Size == size)));
            foreach (var duration in GeneratorOptions.Durations) Line($"  {duration} week(s)", l => Recall(l.Surges.Where(s => s.Surge.Duration == duration)));
            foreach (var k in SizeClasses.All) Line($"  series {k.Label()}", l => Recall(l.Surges.Where(s => s.Surge.Series.SizeClass == k)));
            Line("  size >= 2.5x on series >= 10/wk", l => Recall(l.Surges.Where(Large)));
            if (!SeriesLevel.TryParse(level[0].Level, out var parsed, out _) || !parsed.IsFinest)
                foreach (var uplift in new[] { 0.5, 1.0 })
                    Line($"  adding >= {100 * uplift:0}% to its series", l => Recall(l.Surges.Where(s => s.Uplift >= uplift)));
            Line("weeks to first alert 0/1/later", l => Delays(l.Surges));
            Line("alerts per detected surge", l => PerSurge(l.Surges));
            Line("false alerts (per 1,000 judged)", l => $"{l.FalseAlerts} ({l.FalsePer1000:0.00})");
            foreach (var k in level[0].ByClass.Keys) Line($"  on series {k.Label()}", l => Rate(l.ByClass[k]));
            foreach (var d in sides.SelectMany(s => s.Levels[i].ByDetector.Keys).Distinct().Order())
                Line($"  by {d}", l => l.ByDetector.TryGetValue(d, out var x) ? Rate(x) : "-");
            Line("series-weeks judged", l => $"{l.WeeksJudged:N0}");
            Line("judged, weeks with a year before", l => $"{100 * l.JudgedShare:0}% of {l.WeeksWithYear:N0}");
            Line("alerts (withdrawn)", l => $"{l.Alerts.Count} ({l.Withdrawn})");
        }
    }

    private static string Rate((int FalseAlerts, long WeeksJudged) x) =>
        x.WeeksJudged == 0 ? $"{x.FalseAlerts} (-)" : $"{x.FalseAlerts} ({1000.0 * x.FalseAlerts / x.WeeksJudged:0.00})";

    private static bool Large(SurgeOutcome s) => s.Surge.Size >= 2.5 && s.Surge.Series.Level >= 10;

    private static string Recall(IEnumerable<SurgeOutcome> surges)
    {
        var list = surges.ToList();
        if (list.Count == 0) return "-";
        return $"{100.0 * list.Count(s => s.Early) / list.Count,3:0}% ({100.0 * list.Count(s => s.Any) / list.Count:0}%) n={list.Count}";
    }

    private static string Delays(List<SurgeOutcome> surges)
    {
        var d = surges.Where(s => s.WeeksToFirstAlert is not null).Select(s => s.WeeksToFirstAlert!.Value).ToList();
        if (d.Count == 0) return "-";
        return $"{100.0 * d.Count(x => x == 0) / d.Count:0}/{100.0 * d.Count(x => x == 1) / d.Count:0}/{100.0 * d.Count(x => x > 1) / d.Count:0}%";
    }

    private static string PerSurge(List<SurgeOutcome> surges)
    {
        var detected = surges.Where(s => s.Any).ToList();
        return detected.Count == 0 ? "-" : $"{detected.Average(s => s.Alerts):0.00} (>1: {detected.Count(s => s.Alerts > 1)})";
    }

    public static List<Goal> Goals(Dataset data, DetectionPolicy policy, List<LevelScore> pipeline, List<LevelScore> ceiling)
    {
        var goals = new List<Goal>();
        for (var i = 0; i < pipeline.Count; i++)
        {
            var (p, c) = (pipeline[i].EarlyRecall, ceiling[i].EarlyRecall);
            goals.Add(new Goal($"recall in 2 weeks >= 95% of the ceiling's, {Short(pipeline[i].Level)}", Pct(p), Pct(c), !(p < 0.95 * c)));
        }
        var pFalse = Per1000(pipeline);
        var cFalse = Per1000(ceiling);
        goals.Add(new Goal("false alerts per 1,000 judged <= 1.5x the ceiling's (all levels)", $"{pFalse:0.00}", $"{cFalse:0.00}", pFalse <= 1.5 * cFalse));
        var withdrawn = pipeline.Sum(l => l.Withdrawn);
        goals.Add(new Goal("no alert withdrawn", $"{withdrawn}", $"{ceiling.Sum(l => l.Withdrawn)}", withdrawn == 0));
        foreach (var (level, share) in new[] { ("country", 0.95), ("country+borderPoint", 0.95), (SeriesLevel.Finest.Name, 0.80) })
        {
            var pl = pipeline.FirstOrDefault(l => l.Level == level);
            var cl = ceiling.FirstOrDefault(l => l.Level == level);
            if (pl is null || cl is null) continue;
            goals.Add(new Goal($">= {100 * share:0}% of {Short(level)} weeks with a year of history judged", Pct(pl.JudgedShare), Pct(cl.JudgedShare), pl.JudgedShare >= share));
        }
        var finestP = pipeline.FirstOrDefault(l => l.Level == SeriesLevel.Finest.Name);
        var finestC = ceiling.FirstOrDefault(l => l.Level == SeriesLevel.Finest.Name);
        if (finestP is not null && finestC is not null)
        {
            bool Big(SurgeOutcome s) => s.Surge.Size >= 2.5 && s.Surge.Duration >= 3 && s.Surge.Series.Level >= 10;
            bool Mid(SurgeOutcome s) => s.Surge.Size >= 3 && s.Surge.Series.SizeClass == SizeClass.From4To10
                                        && s.Surge.PeakCount >= policy.For(SeriesLevel.Finest, s.Surge.Series.Country).MinimumCount;
            var bigP = LevelScore.Share(finestP.Surges.Where(Big).ToList(), s => s.Early);
            goals.Add(new Goal("finest: >= 90% of surges >= 2.5x, >= 3 wks, on >= 10/wk alerted in 2 wks", Pct(bigP),
                Pct(LevelScore.Share(finestC.Surges.Where(Big).ToList(), s => s.Early)), bigP >= 0.9));
            var midP = LevelScore.Share(finestP.Surges.Where(Mid).ToList(), s => s.Early);
            goals.Add(new Goal($"finest: >= 70% of surges >= 3x on 4-10/wk reaching MinimumCount, in 2 wks", Pct(midP),
                Pct(LevelScore.Share(finestC.Surges.Where(Mid).ToList(), s => s.Early)), midP >= 0.7));
        }
        goals.Add(new Goal("<= 2 false alerts per 1,000 series-weeks judged (all levels)", $"{pFalse:0.00}", $"{cFalse:0.00}", pFalse <= 2));
        int Multiple(List<LevelScore> side) => side.Sum(l => l.Surges.Count(s => s.Alerts > 1));
        goals.Add(new Goal("one alert per surge (surges with more than one, all levels)", $"{Multiple(pipeline)}", $"{Multiple(ceiling)}", Multiple(pipeline) == 0));
        return goals;
    }

    private static double Per1000(List<LevelScore> side)
    {
        var weeks = side.Sum(l => l.WeeksJudged);
        return weeks == 0 ? 0 : 1000.0 * side.Sum(l => l.FalseAlerts) / weeks;
    }

    private static string Short(string level) => level == SeriesLevel.Finest.Name ? "finest" : level;

    private static string Pct(double share) => double.IsNaN(share) ? "-" : $"{100 * share:0.0}%";
}
