using System.Collections.Frozen;
using System.Globalization;
using EarlyWarning.Classification.Policy;

namespace EarlyWarning.Classification.Review.Editing;

/// <summary>Checks the values an edit writes, and writes them as YAML scalars that read back as exactly the same string.</summary>
internal static class YamlScalars
{
    // YAML 1.1 readers take these for booleans or null even where a string is meant.
    private static readonly FrozenSet<string> Keywords =
        FrozenSet.ToFrozenSet(["y", "n", "yes", "no", "true", "false", "on", "off", "null"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Plain when nothing in it could be read as YAML syntax, a number, a date or a keyword; double-quoted otherwise.</summary>
    public static string Scalar(string value) => IsPlain(value) ? value : Quoted(value);

    public static string Quoted(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static bool IsPlain(string value) =>
        value.Length > 0 && (char.IsLetter(value[0]) || value[0] == '_') && value[^1] != ' ' && !Keywords.Contains(value)
        && value.All(c => char.IsLetterOrDigit(c) || c is ' ' or '.' or '\'' or '(' or ')' or '/' or '-' or '_');

    /// <summary>A value written on one line: a newline or control character would end the scalar or the comment and inject YAML.</summary>
    public static string OneLine(string field, string? value, bool required = true)
    {
        if (value is null || (required && string.IsNullOrWhiteSpace(value))) throw new PolicyEditException(field, "required");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                throw new PolicyEditException(field, $"must be one line without control characters (U+{(int)c:X4} at {i})");
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(c)) throw new PolicyEditException(field, $"holds half a character (U+{(int)c:X4} at {i})");
        }
        return value;
    }

    /// <summary>A national writing: one line, and something left once compared the way the classifier compares.</summary>
    public static string Term(string field, string? value)
    {
        var term = OneLine(field, value);
        if (NationalText.Normalize(term).Length == 0) throw new PolicyEditException(field, $"'{term}' has no letter or digit");
        return term;
    }

    public static string Code(string field, string? value)
    {
        var code = OneLine(field, value);
        if (code.Any(char.IsWhiteSpace)) throw new PolicyEditException(field, $"'{code}': a code has no spaces");
        return code;
    }

    public static string Number(double value)
    {
        var written = value.ToString("R", CultureInfo.InvariantCulture);
        // An exponent reads back as a string in some YAML readers; a decimal never does.
        return written.Contains('E') ? ((decimal)value).ToString(CultureInfo.InvariantCulture) : written;
    }
}
