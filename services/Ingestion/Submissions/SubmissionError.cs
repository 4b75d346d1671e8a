namespace EarlyWarning.Ingestion.Submissions;

/// <summary>What is wrong with a submission and where: the line of the file (or index of the JSON row) and the field.</summary>
public sealed record SubmissionError(int Line, string Field, string Reason);
