using EarlyWarning.Ingestion.Agreements;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>What a reader needs besides the bytes: the stated country and dialect, the limits and the agreements.</summary>
internal sealed record ReadContext(string? Country, char? Delimiter, SubmissionLimits Limits, RowRules Rules, DeclaredColumns Agreements);
