using EarlyWarning.Ingestion.Agreements;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>What a reader needs besides the bytes: the stated country and dialect, the limits and the agreements.</summary>
/// <param name="Country">The country the request states (?country=).</param>
/// <param name="CallerCountry">The publisher's own country: the submission's when neither the request nor the file says.</param>
internal sealed record ReadContext(string? Country, string? CallerCountry, char? Delimiter, SubmissionLimits Limits, RowRules Rules, DeclaredColumns Agreements)
{
    /// <summary>The country a plain CSV file is for (it cannot say so itself).</summary>
    public string? CsvCountry => Country ?? CallerCountry;
}
