namespace EarlyWarning.Detection;

/// <summary>
/// R's surveillance::algo.cusum with the "standard" transformation: x̃ = (x − m)/√m, S_t = max(0, S_{t−1} + x̃_t − k),
/// alarm when S_t ≥ h, bound ⌈√m·(h + k − S_{t−1}) + m⌉ (NaN and negative bounds become 0, as in R).
/// The sum starts at the first period of the range; m is the mean of all periods before it (R's quirk kept:
/// a range starting at period 1 takes m = the first count).
/// <para>
/// Missing weeks (NaN) go beyond R, which skips none: its m is NA when a week before the range is missing, and a
/// missing week in the range makes the sum NA for the rest of it, with NA alarms and the bound 0 that R puts for NA,
/// so one suppressed week would silence the detector for good. Here m is the mean of the weeks present (no bound at
/// all when none is), and a missing week has no result and leaves the sum as it was: the weeks either side of it
/// are summed as if they were adjacent. Without missing weeks the results are R's, to the bit.
/// </para>
/// </summary>
public static class Cusum
{
    public static PeriodResult[] Evaluate(ReadOnlySpan<double> counts, EvaluationRange range, CusumOptions? options = null)
    {
        options ??= new CusumOptions();
        var from = Math.Max(1, range.From);
        var to = Math.Min(counts.Length, range.To);
        if (from > to) return [];
        var m = options.M ?? (from == 1 ? counts[0] : Statistics.MeanOfPresent(counts[..(from - 1)]).Mean);
        var results = new PeriodResult[to - from + 1];
        var previous = 0.0;
        for (var t = from; t <= to; t++)
        {
            results[t - from] = Prepare(m, previous, options).Decide(t, counts[t - 1]);
            if (!double.IsNaN(counts[t - 1])) previous = results[t - from].Score ?? double.NaN;
        }
        return results;
    }

    /// <summary>The bound of the period after <paramref name="history"/>, the sum starting at it (<see cref="PeriodBound"/>).</summary>
    public static PeriodBound Prepare(ReadOnlySpan<double> history, CusumOptions? options = null)
    {
        options ??= new CusumOptions();
        if (history.Length == 0 && options.M is null)
            throw new ArgumentException("without history (and without m) CUSUM takes the period's own count as its mean: there is nothing to prepare");
        return Prepare(options.M ?? Statistics.MeanOfPresent(history).Mean, 0, options);
    }

    private static PeriodBound Prepare(double m, double previous, CusumOptions options)
    {
        // No week to take m from (all missing), which R would turn into a bound of 0 for ever.
        if (double.IsNaN(m)) return PeriodBound.NoBound;
        var bound = Math.Ceiling(Math.Sqrt(m) * (options.H + options.K - previous) + m);
        if (double.IsNaN(bound) || bound < 0) bound = 0;
        return new PeriodBound(PeriodBoundKind.Cusum, m, previous, options.K, options.H, bound);
    }
}
