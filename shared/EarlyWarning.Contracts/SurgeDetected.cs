namespace EarlyWarning.Contracts;

/// <summary>A harmonized series exceeded the upper bound its detector expected for a period.</summary>
/// <param name="AlertId">Identifier of the alert, stable across redeliveries.</param>
/// <param name="SeriesKey">country|borderPoint|nationality|category.</param>
public sealed record SurgeDetected(
    Guid AlertId,
    string SeriesKey,
    string ReportingCountry,
    string BorderPoint,
    string Nationality,
    string Category,
    DateOnly Period,
    long Observed,
    double Expected,
    double UpperBound,
    string Algorithm,
    DateTimeOffset DetectedAt);
