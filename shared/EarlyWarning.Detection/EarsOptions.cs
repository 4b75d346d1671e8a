namespace EarlyWarning.Detection;

/// <summary>The options of R's earsC control list, with R's defaults.</summary>
public sealed record EarsOptions
{
    /// <summary>Number of periods in the baseline (R: baseline = 7, at least 3).</summary>
    public int Baseline { get; init; } = 7;

    /// <summary>Lower limit of the baseline's standard deviation (R: minSigma = 0).</summary>
    public double MinSigma { get; init; }

    /// <summary>Alpha; null takes R's default for the method (0.001 for C1 and C2, 0.025 for C3).</summary>
    public double? Alpha { get; init; }
}
