namespace EarlyWarning.Detection;

/// <summary>
/// R's surveillance::algo.cusum with the "standard" transformation: x̃ = (x − m)/√m, S_t = max(0, S_{t−1} + x̃_t − k),
/// alarm when S_t ≥ h, bound ⌈√m·(h + k − S_{t−1}) + m⌉ (NaN and negative bounds become 0, as in R).
/// The sum starts at the first period of the range; m is the mean of all periods before it (R's quirk kept:
/// a range starting at period 1 takes m = the first count).
/// </summary>
public static class Cusum
{
    public static PeriodResult[] Evaluate(ReadOnlySpan<double> counts, EvaluationRange range, CusumOptions? options = null)
    {
        options ??= new CusumOptions();
        var from = Math.Max(1, range.From);
        var to = Math.Min(counts.Length, range.To);
        if (from > to) return [];
        var m = options.M ?? (from == 1 ? counts[0] : Statistics.Mean(counts[..(from - 1)]));
        var results = new PeriodResult[to - from + 1];
        var previous = 0.0;
        for (var t = from; t <= to; t++)
        {
            var x = counts[t - 1];
            var standardized = (x - m) / Math.Sqrt(m);
            var sum = Statistics.PMax(0, previous + (standardized - options.K));
            var bound = Math.Ceiling(Math.Sqrt(m) * (options.H + options.K - previous) + m);
            if (double.IsNaN(bound) || bound < 0) bound = 0;
            results[t - from] = new PeriodResult(t, x, m, bound, double.IsNaN(sum) ? null : sum, sum >= options.H);
            previous = sum;
        }
        return results;
    }
}
