namespace EarlyWarning.Detection;

/// <summary>
/// EARS C1, C2 and C3 as R's surveillance::earsC computes them (version 1.20.x).
/// A period gets a bound only when its whole baseline lies inside the series; R stops with
/// "The vector of observed is too short!" instead, and we answer "not enough history" for that period.
/// <para>
/// Missing weeks (NaN) go beyond R, whose mean and sd are NA when one week of the baseline is: one suppressed week
/// would leave the next 7 to 11 weeks without bound. Here the baseline's mean and sd are those of the weeks present,
/// and there is no bound when fewer than 3 are (R's smallest baseline), since the sd of one or two weeks says nothing
/// of the spread. C3 counts no excess for a lagged week that is missing or whose own baseline has fewer than 3 weeks:
/// an excess that cannot be known is not assumed, which can only raise the bound. Without missing weeks nothing
/// changes: the arithmetic is R's, in R's order.
/// </para>
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
        foreach (var t in range.Within(counts.Length)) results.Add(PrepareC3(counts, t, z, baseline, options.MinSigma).Decide(t, counts[t - 1]));
        return results.ToArray();
    }

    /// <summary>C3's bound of period t from the periods before it (<see cref="PeriodBound"/>): counts[t − 1] is not read.</summary>
    private static PeriodBound PrepareC3(ReadOnlySpan<double> counts, int t, double z, int baseline, double minSigma)
    {
        // C2 at t−2 needs observations back to t−2−(baseline+2).
        if (t - 2 - (baseline + 2) < 1) return PeriodBound.NoBound;
        if (Baseline(counts, t, baseline, guard: 2, minSigma) is not (var meanT, var sdT)) return PeriodBound.NoBound;
        var excessLag2 = Excess(counts, t - 2, baseline, minSigma);
        var excessLag1 = Excess(counts, t - 1, baseline, minSigma);
        return new PeriodBound(PeriodBoundKind.EarsC3, meanT, sdT, z, excessLag2 + excessLag1);
    }

    /// <summary>C1's bound of the period after <paramref name="history"/> (<see cref="PeriodBound"/>).</summary>
    public static PeriodBound PrepareC1(ReadOnlySpan<double> history, EarsOptions? options = null) => PrepareAfter(history, options ?? new(), guard: 0, defaultAlpha: 0.001);

    /// <summary>C2's bound of the period after <paramref name="history"/> (<see cref="PeriodBound"/>).</summary>
    public static PeriodBound PrepareC2(ReadOnlySpan<double> history, EarsOptions? options = null) => PrepareAfter(history, options ?? new(), guard: 2, defaultAlpha: 0.001);

    /// <summary>C3's bound of the period after <paramref name="history"/> (<see cref="PeriodBound"/>).</summary>
    public static PeriodBound PrepareC3(ReadOnlySpan<double> history, EarsOptions? options = null)
    {
        options ??= new();
        Validate(options);
        return PrepareC3(history, history.Length + 1, Normal.Quantile(1 - (options.Alpha ?? 0.025)), options.Baseline, options.MinSigma);
    }

    private static PeriodBound PrepareAfter(ReadOnlySpan<double> history, EarsOptions options, int guard, double defaultAlpha)
    {
        Validate(options);
        return PrepareShifted(history, history.Length + 1, Normal.Quantile(1 - (options.Alpha ?? defaultAlpha)), options.Baseline, guard, options.MinSigma);
    }

    private static PeriodResult[] Shifted(ReadOnlySpan<double> counts, EvaluationRange range, EarsOptions options, int guard, double defaultAlpha)
    {
        Validate(options);
        var z = Normal.Quantile(1 - (options.Alpha ?? defaultAlpha));
        var results = new List<PeriodResult>();
        foreach (var t in range.Within(counts.Length)) results.Add(PrepareShifted(counts, t, z, options.Baseline, guard, options.MinSigma).Decide(t, counts[t - 1]));
        return results.ToArray();
    }

    /// <summary>C1's or C2's bound of period t from the periods before it (<see cref="PeriodBound"/>): counts[t − 1] is not read.</summary>
    private static PeriodBound PrepareShifted(ReadOnlySpan<double> counts, int t, double z, int baseline, int guard, double minSigma)
    {
        if (t - baseline - guard < 1) return PeriodBound.NoBound;
        if (Baseline(counts, t, baseline, guard, minSigma) is not (var mean, var sd)) return PeriodBound.NoBound;
        return new PeriodBound(PeriodBoundKind.Ears, mean, sd, mean + z * sd);
    }

    /// <summary>max(0, C2(t) − 1), C3's excess of a lagged period t; none when its count or its baseline is missing.</summary>
    private static double Excess(ReadOnlySpan<double> counts, int t, int baseline, double minSigma)
    {
        var observed = counts[t - 1];
        if (double.IsNaN(observed) || Baseline(counts, t, baseline, guard: 2, minSigma) is not (var mean, var sd)) return 0;
        return Statistics.PMax(0, (observed - mean) / sd - 1);
    }

    private const int FewestPresent = 3;

    /// <summary>
    /// Mean and max(sd, minSigma) of the weeks present among the <paramref name="baseline"/> periods ending <paramref name="guard"/> + 1
    /// periods before t; null when fewer than <see cref="FewestPresent"/> are.
    /// </summary>
    private static (double Mean, double Sd)? Baseline(ReadOnlySpan<double> counts, int t, int baseline, int guard, double minSigma)
    {
        var window = counts.Slice(t - 1 - guard - baseline, baseline);
        var (mean, present) = Statistics.MeanOfPresent(window);
        if (present < FewestPresent) return null;
        return (mean, Statistics.PMax(Statistics.StandardDeviationOfPresent(window), minSigma));
    }

    private static void Validate(EarsOptions options)
    {
        if (options.Baseline < 3) throw new ArgumentException("Minimum baseline to use is 3.", nameof(options));
        if (options.MinSigma < 0) throw new ArgumentException("The minimum sigma parameter (minSigma) needs to be positive", nameof(options));
    }
}
