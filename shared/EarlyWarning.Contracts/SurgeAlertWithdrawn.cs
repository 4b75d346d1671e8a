namespace EarlyWarning.Contracts;

/// <summary>
/// Revised or deleted data removed an alerted surge: the alert no longer stands (CAP msgType Cancel).
/// <paramref name="Revision"/> follows <paramref name="ReferencesRevision"/> of the same alert.
/// </summary>
/// <param name="Reason">Why the weeks are no longer a surge, as the detection says it.</param>
public sealed record SurgeAlertWithdrawn(
    Guid AlertId,
    int Revision,
    int ReferencesRevision,
    string SeriesKey,
    string ReportingCountry,
    DateOnly Start,
    string Reason,
    DateTimeOffset WithdrawnAt)
{
    /// <summary>
    /// The aggregation level of the series (e.g. <c>country</c>, <c>country+borderPoint+nationality</c>); a dimension
    /// the level sums away is "_T" in the fields above. Null in messages from before levels existed (the finest level).
    /// </summary>
    public string? Level { get; init; }
}
