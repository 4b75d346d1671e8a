namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// The submission as a whole cannot be taken (too large, a charset or media type we do not read), found
/// while it streams in; the endpoint answers with <see cref="Status"/> and a problem document.
/// </summary>
internal sealed class SubmissionRefusedException(int status, string title, SubmissionError error) : Exception(error.Reason)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public SubmissionError Error { get; } = error;
}
