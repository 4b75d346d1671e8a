namespace EarlyWarning.Formats;

/// <summary>One record of a CSV file and the line it starts on (1-based, counting the header).</summary>
public readonly record struct CsvRecord(int Line, string[] Fields);
