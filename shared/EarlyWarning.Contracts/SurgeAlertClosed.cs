namespace EarlyWarning.Contracts;

/// <summary>
/// The series of an alerted surge stayed under its bound for the configured number of weeks: the surge is
/// over (a CAP Update whose state is closed). <paramref name="Revision"/> follows <paramref name="ReferencesRevision"/>.
/// </summary>
/// <param name="ClosedWeek">The week that completed the weeks under the bound.</param>
public sealed record SurgeAlertClosed(
    Guid AlertId,
    int Revision,
    int ReferencesRevision,
    string SeriesKey,
    string ReportingCountry,
    DateOnly Start,
    DateOnly LastSurgeWeek,
    DateOnly ClosedWeek,
    int WeeksAbove,
    string Severity,
    DateTimeOffset ClosedAt)
{
    /// <summary>
    /// The aggregation level of the series (e.g. <c>country</c>, <c>country+borderPoint+nationality</c>); a dimension
    /// the level sums away is "_T" in the fields above. Null in messages from before levels existed (the finest level).
    /// </summary>
    public string? Level { get; init; }
}
