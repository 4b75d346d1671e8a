namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// One revision of an alert with the series it is about: everything a CAP document, a feed entry, a webhook
/// body and a routing key are made of. Revisions are never changed once written, so neither is what is made of them.
/// </summary>
internal sealed record AlertRevision(
    Guid AlertId,
    int Revision,
    int? ReferencesRevision,
    string MsgType,
    string State,
    string ReportingCountry,
    string BorderPoint,
    string Nationality,
    string Category,
    DateOnly FirstWeek,
    DateOnly LastSurgeWeek,
    DateOnly? ClosedWeek,
    int WeeksAbove,
    DateOnly PeakWeek,
    long Observed,
    double Expected,
    double UpperBound,
    string Algorithm,
    string Severity,
    string Certainty,
    double? Probability,
    string? Reason,
    DateTimeOffset SentAt)
{
    private static readonly string[] SeverityOrder = ["Minor", "Moderate", "Severe", "Extreme"];

    /// <summary>0 (Minor) to 3 (Extreme); -1 for anything else.</summary>
    public static int SeverityRank(string? severity) => Array.IndexOf(SeverityOrder, severity);

    public static IReadOnlyList<string> Severities => SeverityOrder;

    /// <summary>The CAP identifier of this revision: unique per message, without spaces, commas or XML-reserved characters.</summary>
    public string Identifier => CapIdentifier(AlertId, Revision);

    public static string CapIdentifier(Guid alertId, int revision) => $"urn:earlywarning:alert:{alertId:D}:{revision}";

    /// <summary>The stable address of this revision's CAP document, relative to the service.</summary>
    public string CapPath => $"/api/alerts/{AlertId:D}/revisions/{Revision}/cap";
}
