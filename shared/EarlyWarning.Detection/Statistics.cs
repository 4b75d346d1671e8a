namespace EarlyWarning.Detection;

/// <summary>
/// Small numeric helpers that behave as R's do (sample sd with n − 1, NaN propagation), over the weeks present: a
/// missing week (NaN) is skipped. Without missing weeks they do R's arithmetic in R's order, so the results are R's to the bit.
/// </summary>
internal static class Statistics
{
    /// <summary>The mean of the values present (NaN when none is), and how many they are.</summary>
    public static (double Mean, int Present) MeanOfPresent(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        var present = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            sum += v;
            present++;
        }
        return (sum / present, present);
    }

    /// <summary>R's sd() of the values present: sample standard deviation, NaN for fewer than two. Two-pass, as R computes it.</summary>
    public static double StandardDeviationOfPresent(ReadOnlySpan<double> values)
    {
        var (mean, present) = MeanOfPresent(values);
        if (present < 2) return double.NaN;
        var sum = 0.0;
        foreach (var v in values)
            if (!double.IsNaN(v)) sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / (present - 1));
    }

    /// <summary>R's pmax(a, b) for one pair: NaN if either is NaN.</summary>
    public static double PMax(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);
}
