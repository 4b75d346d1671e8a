namespace EarlyWarning.Contracts;

/// <summary>
/// Part of a release: the publishing country's agreement was applied to a whole submission, and these are
/// some of its protected cells (<see cref="BatchNumber"/> of <see cref="BatchCount"/> messages).
/// </summary>
public sealed record ObservationsAnonymized(
    Guid SubmissionId,
    string ReportingCountry,
    int BatchNumber,
    int BatchCount,
    DateTimeOffset AcceptedAt,
    IReadOnlyList<AnonymizedObservation> Observations)
{
    /// <summary>The agreement applied (its id and version), recorded on what it produced.</summary>
    public string? AgreementId { get; init; }

    public int? AgreementVersion { get; init; }
}
