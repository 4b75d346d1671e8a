namespace EarlyWarning.Formats;

/// <summary>
/// The text is not CSV at the given line (for example a quoted field that never closes), or breaks one of
/// the reader's limits. <see cref="Column"/> is the 0-based column of the offending field when one is to blame.
/// </summary>
public sealed class CsvFormatException(int line, string reason, int? column = null) : Exception($"line {line}: {reason}")
{
    public int Line { get; } = line;
    public string Reason { get; } = reason;
    public int? Column { get; } = column;
}
