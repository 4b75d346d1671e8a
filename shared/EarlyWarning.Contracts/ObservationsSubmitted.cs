namespace EarlyWarning.Contracts;

/// <summary>A national authority's submission was accepted; this is one batch of its rows.</summary>
public sealed record ObservationsSubmitted(
    Guid SubmissionId,
    string ReportingCountry,
    int BatchNumber,
    int BatchCount,
    DateTimeOffset AcceptedAt,
    IReadOnlyList<RawObservation> Observations);
