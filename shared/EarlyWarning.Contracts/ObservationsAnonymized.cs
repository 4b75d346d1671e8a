namespace EarlyWarning.Contracts;

/// <summary>A batch was made safe to leave the publishing country.</summary>
public sealed record ObservationsAnonymized(
    Guid SubmissionId,
    string ReportingCountry,
    int BatchNumber,
    int BatchCount,
    DateTimeOffset AcceptedAt,
    IReadOnlyList<AnonymizedObservation> Observations);
