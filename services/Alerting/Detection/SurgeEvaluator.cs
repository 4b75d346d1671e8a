using EarlyWarning.Detection;

namespace EarlyWarning.Alerting.Detection;

/// <summary>A surge found in a series.</summary>
internal sealed record Surge(SeriesKey Key, DateOnly Period, long Observed, double Expected, double UpperBound);

/// <summary>The verdict on one week of a series: a surge, or why there is none (the reason an earlier alert is withdrawn with).</summary>
internal sealed record Judgement(SeriesKey Key, DateOnly Period, Surge? Surge, string? Reason);

/// <summary>Decides which weeks of a series are surges, with EARS C1. Pure.</summary>
internal static class SurgeEvaluator
{
    public const string Algorithm = "ears-c1";

    /// <summary>
    /// Evaluates the weeks that changed and the weeks whose baseline they belong to: a late batch can
    /// complete the history of a week that was evaluated (or skipped) before.
    /// </summary>
    public static IEnumerable<Surge> Evaluate(WeeklySeries series, IEnumerable<DateOnly> changedWeeks, DetectionOptions options) =>
        Judge(series, changedWeeks, options).Where(j => j.Surge is not null).Select(j => j.Surge!);

    /// <summary>
    /// Judges the same weeks as <see cref="Evaluate"/>, including those with no data left (every cell deleted),
    /// and says for each week that is not a surge why not.
    /// </summary>
    public static IEnumerable<Judgement> Judge(WeeklySeries series, IEnumerable<DateOnly> changedWeeks, DetectionOptions options)
    {
        var changed = changedWeeks.ToHashSet();
        var weeks = changed
            .SelectMany(week => Enumerable.Range(0, options.Baseline + 1).Select(k => week.AddDays(7 * k)))
            .Where(week => series.Totals.ContainsKey(week) || changed.Contains(week))
            .Distinct()
            .Order();
        var ears = new EarsOptions { Baseline = options.Baseline, Alpha = options.Alpha };
        foreach (var week in weeks)
        {
            if (!series.Totals.TryGetValue(week, out var total))
            {
                yield return new Judgement(series.Key, week, null, "every cell of the week was deleted by its publisher");
                continue;
            }
            var window = series.Window(week, options.Baseline + 1);
            if (window is null)
            {
                yield return new Judgement(series.Key, week, null, total is null
                    ? "a cell of the week is now suppressed, so its total is unknown"
                    : "the revised data leave the week without a complete baseline");
                continue;
            }
            var result = Ears.C1(window, new EvaluationRange(window.Length, window.Length), ears)[0];
            if (result.Alarm && result.Observed >= options.MinimumCount)
                yield return new Judgement(series.Key, week,
                    new Surge(series.Key, week, (long)result.Observed, result.Expected!.Value, result.UpperBound!.Value), null);
            else
                yield return new Judgement(series.Key, week, null, result.Alarm
                    ? $"the revised count {result.Observed:0} is below the minimum of {options.MinimumCount} events"
                    : $"the revised count {result.Observed:0} no longer exceeds the threshold {result.UpperBound:0.0}");
        }
    }
}
