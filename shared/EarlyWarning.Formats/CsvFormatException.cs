namespace EarlyWarning.Formats;

/// <summary>The text is not CSV at the given line (for example a quoted field that never closes).</summary>
public sealed class CsvFormatException(int line, string reason) : Exception($"line {line}: {reason}")
{
    public int Line { get; } = line;
    public string Reason { get; } = reason;
}
