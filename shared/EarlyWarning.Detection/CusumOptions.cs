namespace EarlyWarning.Detection;

/// <summary>The options of R's algo.cusum with its defaults (standard transformation, mean of the past as m).</summary>
public sealed record CusumOptions
{
    /// <summary>Reference value (R: k = 1.04).</summary>
    public double K { get; init; } = 1.04;
    /// <summary>Decision boundary (R: h = 2.26).</summary>
    public double H { get; init; } = 2.26;
    /// <summary>Expected count; null means the mean of the periods before the range, as R does (R: m = NULL).</summary>
    public double? M { get; init; }
}
