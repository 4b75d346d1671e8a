using System.Collections.Frozen;
using EarlyWarning.Classification.Policy;

namespace EarlyWarning.Classification.Review.Suggestions;

/// <summary>
/// Words as the review compares them: normalized, without function words, reduced to a stem shared by the
/// inflections and by the Spanish and Portuguese forms of a word (solicitudes ~ solicitud, deportação ~ deportación).
/// </summary>
internal static class Terms
{
    private static readonly FrozenSet<string> FunctionWords = FrozenSet.ToFrozenSet(
    [
        "de", "del", "la", "las", "el", "los", "lo", "y", "e", "o", "u", "por", "para", "a", "al", "en", "con", "su", "sus", "un", "una",
        "da", "das", "do", "dos", "na", "nas", "nos", "em", "com", "ou", "pelo", "pela", "pelos", "pelas", "um", "uma", "ao", "aos", "as", "os",
        "of", "the", "and", "or", "for", "to", "in", "by", "with", "at", "on",
    ]);

    /// <summary>The content words of a text, normalized, in order.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var words = NationalText.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Dotted initials ("E.U.A.", "N.N.A.") are one word, not letters that look like function words.
        if (words.Length >= 2 && words.All(w => w.Length == 1 && char.IsLetter(w[0]))) return [string.Concat(words)];
        return words.Where(w => !FunctionWords.Contains(w));
    }

    private static readonly string[] DerivationalSuffixes = ["amient", "imient", "ament", "iment", "acion", "icion", "ucion", "sion", "ad", "id"];

    /// <summary>Initials of the content words ("Permiso por Protección Temporal" is "ppt"); empty for one word.</summary>
    public static string Initials(string text)
    {
        var words = Words(text).ToList();
        return words.Count < 2 || words.Any(w => char.IsAsciiDigit(w[0])) ? "" : string.Concat(words.Select(w => w[0]));
    }

    public static string Stem(string word)
    {
        if (word.Length <= 3 || word.Any(char.IsAsciiDigit)) return word;
        var w = word;
        // Portuguese -ção/-ções and English -tion are Spanish -ción, so that the three languages share the stem.
        if (w.EndsWith("coes", StringComparison.Ordinal)) w = w[..^4] + "cion";
        else if (w.EndsWith("soes", StringComparison.Ordinal)) w = w[..^4] + "sion";
        else if (w.EndsWith("cao", StringComparison.Ordinal)) w = w[..^3] + "cion";
        else if (w.EndsWith("sao", StringComparison.Ordinal)) w = w[..^3] + "sion";
        else if (w.EndsWith("tion", StringComparison.Ordinal) || w.EndsWith("tions", StringComparison.Ordinal)) w = w[..w.LastIndexOf("tion", StringComparison.Ordinal)] + "cion";
        else if (w.EndsWith("iones", StringComparison.Ordinal)) w = w[..^2];
        else if (w.Length > 4 && w.EndsWith("es", StringComparison.Ordinal) && "dlnrz".Contains(w[^3])) w = w[..^2];
        else if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal)) w = w[..^1];
        // Gender and the final vowel: otorgado ~ otorgada, migrante ~ migrant, víctima ~ victim.
        if (w.Length > 4 && w[^1] is 'a' or 'o' or 'e') w = w[..^1];
        // The noun and the participle of one verb share a root: deportación ~ deportado, reconocimiento ~ reconocido.
        foreach (var suffix in DerivationalSuffixes)
            if (w.Length - suffix.Length >= 4 && w.EndsWith(suffix, StringComparison.Ordinal)) return w[..^suffix.Length];
        return w;
    }

    /// <summary>Levenshtein distance, giving up (returning <paramref name="limit"/> + 1) once it exceeds the limit.</summary>
    public static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit) return limit + 1;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                rowMin = Math.Min(rowMin, current[j]);
            }
            if (rowMin > limit) return limit + 1;
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
