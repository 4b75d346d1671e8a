using EarlyWarning.Contracts;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>The outcome of reading a submission: its rows when valid, every error found otherwise.</summary>
/// <remarks><see cref="Observations"/> holds the rows only when the reader kept them in memory; <see cref="RowCount"/> always counts them.</remarks>
public sealed record ParsedSubmission(string Format, string? ReportingCountry, IReadOnlyList<RawObservation> Observations, IReadOnlyList<SubmissionError> Errors)
{
    public int RowCount { get; init; }

    public bool IsValid => Errors.Count == 0;
}
