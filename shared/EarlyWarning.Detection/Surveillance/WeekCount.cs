namespace EarlyWarning.Detection.Surveillance;

/// <summary>
/// What is known of a week's count: it lies between <see cref="Low"/> and <see cref="High"/> (null: unbounded above). Exact
/// when both are equal; censored when the agreement suppressed some of the cells it sums (a confidential cell under k = 5 is
/// 1 to 4, a complementary suppression zero or more, tighter where the release's relations bound it).
/// </summary>
public readonly record struct WeekCount(long Low, long? High)
{
    public static WeekCount Exact(long count) => new(count, count);

    /// <summary>Nothing is known but that it is not negative: a suppressed cell from before releases disclosed bounds.</summary>
    public static readonly WeekCount Unknown = new(0, null);

    public bool IsExact => High == Low;

    public static implicit operator WeekCount(long count) => Exact(count);

    /// <summary>The middle of the interval, or NaN when it is unbounded above.</summary>
    public double Midpoint => High is { } high ? (Low + high) / 2.0 : double.NaN;

    public override string ToString() => IsExact ? Low.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : High is { } h ? $"{Low}-{h}" : $"{Low} or more";
}

/// <summary>How a censored week of a series' history enters its detectors (<see cref="DetectionPolicy.CensoredWeeks"/>).</summary>
public enum CensoredWeeks
{
    /// <summary>As the middle of what is known of it; a week unbounded above is missing.</summary>
    Midpoint,
    /// <summary>As a missing week (R's NA): the detectors use the weeks around it.</summary>
    Missing,
}
