namespace EarlyWarning.Detection;

/// <summary>
/// EARS C1, C2 and C3 as R's surveillance::earsC computes them (version 1.20.x).
/// A period gets a bound only when its whole baseline lies inside the series; R stops with
/// "The vector of observed is too short!" instead, and we answer "not enough history" for that period.
/// </summary>
public static class Ears
{
    /// <summary>C1: baseline t−7 … t−1; bound = mean + z·max(sd, minSigma).</summary>
    public static PeriodResult[] C1(ReadOnlySpan<double> counts, EvaluationRange range, EarsOptions? options = null) =>
        Shifted(counts, range, options ?? new(), guard: 0, defaultAlpha: 0.001);

    /// <summary>C2: as C1 with a two-period guard band: baseline t−9 … t−3.</summary>
    public static PeriodResult[] C2(ReadOnlySpan<double> counts, EvaluationRange range, EarsOptions? options = null) =>
        Shifted(counts, range, options ?? new(), guard: 2, defaultAlpha: 0.001);

    /// <summary>
    /// C3. R's documentation describes C3 as the sum of C2's positive excesses over t−2 … t compared with a
    /// threshold; R's code (which this follows, since analysts compare with its output) instead computes
    /// bound(t) = max(0, y(t) + sd(t)·(z − (max(0, C2(t−2) − 1) + max(0, C2(t−1) − 1)))), where sd(t) is the
    /// C2 baseline's sd at t (floored at minSigma), and raises the alarm when y(t) exceeds it.
    /// </summary>
    public static PeriodResult[] C3(ReadOnlySpan<double> counts, EvaluationRange range, EarsOptions? options = null)
    {
        options ??= new();
        Validate(options);
        var z = Normal.Quantile(1 - (options.Alpha ?? 0.025));
        var baseline = options.Baseline;
        var results = new List<PeriodResult>();
        foreach (var t in range.Within(counts.Length))
        {
            // C2 at t−2 needs observations back to t−2−(baseline+2).
            if (t - 2 - (baseline + 2) < 1)
            {
                results.Add(PeriodResult.WithoutBound(t, counts[t - 1]));
                continue;
            }
            var (_, sdT) = Baseline(counts, t, baseline, guard: 2, options.MinSigma);
            var excessLag2 = Statistics.PMax(0, C2Statistic(counts, t - 2, baseline, options.MinSigma) - 1);
            var excessLag1 = Statistics.PMax(0, C2Statistic(counts, t - 1, baseline, options.MinSigma) - 1);
            var observed = counts[t - 1];
            var bound = Statistics.PMax(0, observed + sdT * (z - (excessLag2 + excessLag1)));
            var meanT = Baseline(counts, t, baseline, guard: 2, options.MinSigma).Mean;
            results.Add(PeriodResult.From(t, observed, meanT, bound, excessLag2 + excessLag1));
        }
        return results.ToArray();
    }

    private static PeriodResult[] Shifted(ReadOnlySpan<double> counts, EvaluationRange range, EarsOptions options, int guard, double defaultAlpha)
    {
        Validate(options);
        var z = Normal.Quantile(1 - (options.Alpha ?? defaultAlpha));
        var results = new List<PeriodResult>();
        foreach (var t in range.Within(counts.Length))
        {
            var observed = counts[t - 1];
            if (t - options.Baseline - guard < 1)
            {
                results.Add(PeriodResult.WithoutBound(t, observed));
                continue;
            }
            var (mean, sd) = Baseline(counts, t, options.Baseline, guard, options.MinSigma);
            results.Add(PeriodResult.From(t, observed, mean, mean + z * sd, (observed - mean) / sd));
        }
        return results.ToArray();
    }

    private static double C2Statistic(ReadOnlySpan<double> counts, int t, int baseline, double minSigma)
    {
        var (mean, sd) = Baseline(counts, t, baseline, guard: 2, minSigma);
        return (counts[t - 1] - mean) / sd;
    }

    /// <summary>Mean and max(sd, minSigma) of the <paramref name="baseline"/> periods ending <paramref name="guard"/> + 1 periods before t.</summary>
    private static (double Mean, double Sd) Baseline(ReadOnlySpan<double> counts, int t, int baseline, int guard, double minSigma)
    {
        var window = counts.Slice(t - 1 - guard - baseline, baseline);
        return (Statistics.Mean(window), Statistics.PMax(Statistics.StandardDeviation(window), minSigma));
    }

    private static void Validate(EarsOptions options)
    {
        if (options.Baseline < 3) throw new ArgumentException("Minimum baseline to use is 3.", nameof(options));
        if (options.MinSigma < 0) throw new ArgumentException("The minimum sigma parameter (minSigma) needs to be positive", nameof(options));
    }
}
