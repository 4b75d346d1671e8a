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
    DateTimeOffset ClosedAt);
