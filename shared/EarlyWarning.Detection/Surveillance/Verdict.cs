namespace EarlyWarning.Detection.Surveillance;

/// <summary>
/// What the detection says of one week of a series. A week with a bound is judged: a surge when its count
/// exceeds the bound and reaches the minimum count, else under the bound. A week without a bound is not
/// judged, and <see cref="Reason"/> says why (not enough history, a suppressed or deleted count).
/// </summary>
/// <param name="Probability">How sure the detector is that the count is above what it expected (1 − the tail probability of the count
/// under the detector's own bound, on a normal scale), where the detector has a probability model (EARS, Farrington).</param>
public sealed record Verdict(
    DateOnly Week, long? Observed, double? Expected, double? UpperBound, string? Algorithm, bool Surge, double? Probability, string? Reason)
{
    public bool Judged => UpperBound is not null;

    /// <summary>Observed over bound: how far above its bound the week is (0 when there is no bound).</summary>
    public double Ratio => UpperBound is { } bound && Observed is { } observed ? observed / Math.Max(bound, 1e-9) : 0;

    /// <summary>CAP 1.2 certainty from <see cref="Probability"/>: Likely at 0.99 or more, Possible below, Unknown without one.</summary>
    public string Certainty => Probability switch { null => "Unknown", >= 0.99 => "Likely", _ => "Possible" };
}
