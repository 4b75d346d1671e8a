namespace EarlyWarning.Formats;

/// <summary>How a CSV body is read and the limits it must stay within while it streams.</summary>
/// <param name="Delimiter">',' or ';'; null detects it from the header (the one that occurs there unquoted, comma when neither does).</param>
/// <param name="MaximumFieldLength">Longest field, in characters.</param>
/// <param name="MaximumColumns">Most fields in a record.</param>
public sealed record CsvReaderOptions(char? Delimiter = null, int MaximumFieldLength = 4096, int MaximumColumns = 256)
{
    public static readonly char[] Delimiters = [',', ';'];
}
