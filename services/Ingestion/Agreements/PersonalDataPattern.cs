using System.Text.RegularExpressions;

namespace EarlyWarning.Ingestion.Agreements;

/// <summary>
/// A shape of personal data an agreement declares (an e-mail address, a document number): a free-text field that
/// contains one is refused in the country, before anything is stored or sent.
/// </summary>
internal sealed record PersonalDataPattern(string Name, Regex Regex)
{
    public static PersonalDataPattern Parse(string path, string field, string? name, string? pattern)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new InvalidOperationException($"{path}: field '{field}.name' is required");
        if (string.IsNullOrWhiteSpace(pattern)) throw new InvalidOperationException($"{path}: field '{field}.pattern' is required");
        try
        {
            // Linear time whatever the text: a pattern from a policy file must not let a row stall the service.
            return new PersonalDataPattern(name.Trim(), new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new InvalidOperationException($"{path}: field '{field}.pattern' is not a regular expression this check supports: {e.Message}", e);
        }
    }
}
