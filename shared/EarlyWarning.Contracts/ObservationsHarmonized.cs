namespace EarlyWarning.Contracts;

/// <summary>A batch was mapped to the regional standard and stored.</summary>
public sealed record ObservationsHarmonized(
    Guid SubmissionId,
    string ReportingCountry,
    int BatchNumber,
    int BatchCount,
    DateTimeOffset AcceptedAt,
    IReadOnlyList<HarmonizedObservation> Observations);
