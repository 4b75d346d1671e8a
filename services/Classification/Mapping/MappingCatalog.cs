using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace EarlyWarning.Classification.Mapping;

/// <summary>A snapshot of the mapping tables, keyed by normalized text.</summary>
internal sealed class MappingCatalog(
    FrozenDictionary<(string Country, string Category), string> categories,
    FrozenDictionary<string, string> nationalities)
{
    public const string Unmapped = "UNMAPPED";
    public const string UnknownNationality = "XXX";

    public static MappingCatalog Empty { get; } = new(
        FrozenDictionary<(string, string), string>.Empty, FrozenDictionary<string, string>.Empty);

    public string? Category(string country, string nationalCategory) =>
        categories.GetValueOrDefault((country, Normalize(nationalCategory)));

    public string? Nationality(string written) => nationalities.GetValueOrDefault(Normalize(written));

    /// <summary>Lower case, accents removed, runs of white space, hyphens and underscores folded to one space.</summary>
    public static string Normalize(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsWhiteSpace(c) || c is '-' or '_')
            {
                space = result.Length > 0;
                continue;
            }
            if (space) { result.Append(' '); space = false; }
            result.Append(c);
        }
        return result.ToString();
    }
}
