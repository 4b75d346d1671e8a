namespace EarlyWarning.Detection;

/// <summary>Small numeric helpers that behave as R's do (sample sd with n − 1, NaN propagation).</summary>
internal static class Statistics
{
    public static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum / values.Length;
    }

    /// <summary>R's sd(): sample standard deviation, NaN for fewer than two values. Two-pass, as R computes it.</summary>
    public static double StandardDeviation(ReadOnlySpan<double> values)
    {
        if (values.Length < 2) return double.NaN;
        var mean = Mean(values);
        var sum = 0.0;
        foreach (var v in values) sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / (values.Length - 1));
    }

    /// <summary>R's pmax(a, b) for one pair: NaN if either is NaN.</summary>
    public static double PMax(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);
}
