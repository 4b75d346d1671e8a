namespace EarlyWarning.Contracts;

/// <summary>
/// A harmonized series exceeded the upper bound its detector expected: a new surge, revision 1 of its alert
/// (CAP msgType Alert). Later weeks of the same surge are <see cref="SurgeAlertUpdated"/>, its end
/// <see cref="SurgeAlertClosed"/>, and its removal by revised data <see cref="SurgeAlertWithdrawn"/>.
/// </summary>
/// <param name="AlertId">Identifier of the alert, stable across redeliveries.</param>
/// <param name="SeriesKey">The series' stored identity (compared, never split).</param>
/// <param name="Period">The first week of the surge.</param>
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
    DateTimeOffset DetectedAt)
{
    /// <summary>Minor, Moderate, Severe or Extreme (CAP 1.2 severity), from the excess over the bound and the duration.</summary>
    public string? Severity { get; init; }

    /// <summary>Likely, Possible or Unknown (CAP 1.2 certainty), from <see cref="Probability"/>.</summary>
    public string? Certainty { get; init; }

    /// <summary>The detector's probability that the count is above what it expected, when it has one.</summary>
    public double? Probability { get; init; }

    /// <summary>Revision of the alert this event is (1 for a new alert).</summary>
    public int Revision { get; init; } = 1;

    /// <summary>
    /// The aggregation level of the series (e.g. <c>country</c>, <c>country+borderPoint+nationality</c>); a dimension
    /// the level sums away is "_T" in the fields above. Null in messages from before levels existed (the finest level).
    /// </summary>
    public string? Level { get; init; }
}
