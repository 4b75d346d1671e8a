namespace EarlyWarning.Contracts;

/// <summary>
/// A surge that was alerted changed: another week above its bound, a new peak or severity, or its weeks
/// revised (CAP msgType Update). <paramref name="Revision"/> follows <paramref name="ReferencesRevision"/> of the same alert.
/// </summary>
/// <param name="Start">First week of the surge.</param>
/// <param name="LastSurgeWeek">Latest week above the bound.</param>
/// <param name="PeakWeek">The week furthest above its bound; Observed, Expected and UpperBound are that week's.</param>
public sealed record SurgeAlertUpdated(
    Guid AlertId,
    int Revision,
    int ReferencesRevision,
    string SeriesKey,
    string ReportingCountry,
    DateOnly Start,
    DateOnly LastSurgeWeek,
    int WeeksAbove,
    DateOnly PeakWeek,
    long Observed,
    double Expected,
    double UpperBound,
    string Algorithm,
    string Severity,
    string Certainty,
    double? Probability,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// The aggregation level of the series (e.g. <c>country</c>, <c>country+borderPoint+nationality</c>); a dimension
    /// the level sums away is "_T" in the fields above. Null in messages from before levels existed (the finest level).
    /// </summary>
    public string? Level { get; init; }
}
