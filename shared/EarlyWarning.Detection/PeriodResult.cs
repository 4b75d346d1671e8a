namespace EarlyWarning.Detection;

/// <summary>
/// What a detector says of one period. <see cref="UpperBound"/> is null where the reference implementation
/// (R's surveillance package) has no bound, i.e. there is not enough history; the alarm is then false.
/// </summary>
/// <param name="Period">1-based index of the period in the series.</param>
/// <param name="Observed">The count observed in that period.</param>
/// <param name="Expected">The detector's expected count, when it has one.</param>
/// <param name="UpperBound">The threshold the count is compared with; an alarm is raised when Observed exceeds it.</param>
/// <param name="Score">The detector's statistic (a z-score for EARS, the cumulative sum for CUSUM, Farrington's exceedance score).</param>
/// <param name="Alarm">Observed &gt; UpperBound.</param>
public readonly record struct PeriodResult(int Period, double Observed, double? Expected, double? UpperBound, double? Score, bool Alarm)
{
    public bool HasBound => UpperBound is not null;

    /// <summary>
    /// No bound for this period: the series is too short before it, R could not fit a model, or missing weeks leave
    /// too little of it (see each detector for which weeks count).
    /// </summary>
    public bool NotEnoughHistory => UpperBound is null;

    internal static PeriodResult WithoutBound(int period, double observed) => new(period, observed, null, null, null, false);

    /// <summary>A bound that R computes as NaN or NA is "no bound".</summary>
    internal static PeriodResult From(int period, double observed, double expected, double upperBound, double score) =>
        double.IsNaN(upperBound)
            ? new(period, observed, double.IsNaN(expected) ? null : expected, null, null, false)
            : new(period, observed, double.IsNaN(expected) ? null : expected, upperBound, double.IsNaN(score) ? null : score, observed > upperBound);
}
