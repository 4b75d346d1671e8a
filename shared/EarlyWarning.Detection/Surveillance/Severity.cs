namespace EarlyWarning.Detection.Surveillance;

/// <summary>CAP 1.2 severities an alert can carry (Unknown is never given: every alert has a bound).</summary>
public enum Severity { Minor, Moderate, Severe, Extreme }

/// <summary>
/// Severity from the strongest week's count over its bound (ratio) and the weeks the surge has lasted above
/// the bound: a level is reached by a ratio alone, or by a lower ratio held for long enough.
/// </summary>
public sealed class SeverityRules
{
    public SeverityLevel Moderate { get; set; } = new() { Ratio = 1.5, SustainedRatio = 1.0, Weeks = 2 };
    public SeverityLevel Severe { get; set; } = new() { Ratio = 2.5, SustainedRatio = 1.5, Weeks = 3 };
    public SeverityLevel Extreme { get; set; } = new() { Ratio = 4.0, SustainedRatio = 2.5, Weeks = 4 };

    /// <param name="peakRatio">The largest observed / bound of the surge's weeks.</param>
    /// <param name="weeksAbove">Weeks of the surge above the bound.</param>
    public Severity Of(double peakRatio, int weeksAbove) =>
        Extreme.Reached(peakRatio, weeksAbove) ? Severity.Extreme
        : Severe.Reached(peakRatio, weeksAbove) ? Severity.Severe
        : Moderate.Reached(peakRatio, weeksAbove) ? Severity.Moderate
        : Severity.Minor;

    internal IEnumerable<string> Problems()
    {
        foreach (var (name, level) in new[] { ("Moderate", Moderate), ("Severe", Severe), ("Extreme", Extreme) })
        {
            if (!(level.Ratio >= 1)) yield return $"{name}:Ratio must be at least 1 (is {level.Ratio})";
            if (!(level.SustainedRatio >= 1)) yield return $"{name}:SustainedRatio must be at least 1 (is {level.SustainedRatio})";
            if (level.Weeks < 1) yield return $"{name}:Weeks must be at least 1 (is {level.Weeks})";
        }
        if (!(Moderate.Ratio <= Severe.Ratio && Severe.Ratio <= Extreme.Ratio)) yield return "Ratio must not fall from Moderate to Severe to Extreme";
    }
}

/// <summary>A severity is reached when the peak ratio is at least <see cref="Ratio"/>, or at least <see cref="SustainedRatio"/> for <see cref="Weeks"/> weeks or more.</summary>
public sealed class SeverityLevel
{
    public double Ratio { get; set; }
    public double SustainedRatio { get; set; }
    public int Weeks { get; set; }

    internal bool Reached(double peakRatio, int weeksAbove) => peakRatio >= Ratio || (peakRatio >= SustainedRatio && weeksAbove >= Weeks);
}
