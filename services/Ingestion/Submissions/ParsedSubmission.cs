using EarlyWarning.Contracts;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>The outcome of reading a submission: its rows when valid, every error found otherwise.</summary>
public sealed record ParsedSubmission(string Format, string? ReportingCountry, IReadOnlyList<RawObservation> Observations, IReadOnlyList<SubmissionError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
