using System.Globalization;
using System.Text;

namespace EarlyWarning.Classification.Policy;

/// <summary>How values written by national authorities are compared: the same text whatever its case, accents, spacing or punctuation.</summary>
internal static class NationalText
{
    /// <summary>Lower case, accents removed, runs of white space, hyphens, underscores and punctuation folded to one space.</summary>
    public static string Normalize(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c))
            {
                if (space) { result.Append(' '); space = false; }
                result.Append(c);
                continue;
            }
            // Any separator or punctuation, including "(", "," and ".": "Venezuela (República Bolivariana de)" and
            // "Venezuela, República Bolivariana de" are the same name; "Cd." and "Cd" the same abbreviation.
            space = result.Length > 0;
        }
        return result.ToString();
    }
}
