using EarlyWarning.Detection;

namespace EarlyWarning.Alerting.Detection;

/// <summary>A surge found in a series.</summary>
internal sealed record Surge(SeriesKey Key, DateOnly Period, long Observed, double Expected, double UpperBound);

/// <summary>Decides which weeks of a series are surges, with EARS C1. Pure.</summary>
internal static class SurgeEvaluator
{
    public const string Algorithm = "ears-c1";

    /// <summary>
    /// Evaluates the weeks that changed and the weeks whose baseline they belong to: a late batch can
    /// complete the history of a week that was evaluated (or skipped) before.
    /// </summary>
    public static IEnumerable<Surge> Evaluate(WeeklySeries series, IEnumerable<DateOnly> changedWeeks, DetectionOptions options)
    {
        var weeks = changedWeeks
            .SelectMany(week => Enumerable.Range(0, options.Baseline + 1).Select(k => week.AddDays(7 * k)))
            .Where(series.Totals.ContainsKey)
            .Distinct()
            .Order();
        var ears = new EarsOptions { Baseline = options.Baseline, Alpha = options.Alpha };
        foreach (var week in weeks)
        {
            var window = series.Window(week, options.Baseline + 1);
            if (window is null) continue;
            var result = Ears.C1(window, new EvaluationRange(window.Length, window.Length), ears)[0];
            if (result.Alarm && result.Observed >= options.MinimumCount)
                yield return new Surge(series.Key, week, (long)result.Observed, result.Expected!.Value, result.UpperBound!.Value);
        }
    }
}
