using EarlyWarning.Contracts;
using EarlyWarning.Formats;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// Reads a CSV submission: a header with period, border_point, nationality, category, count and optionally
/// sex and age_group; any other column is a record-level field that Anonymization removes.
/// </summary>
internal static class CsvSubmissionReader
{
    private static readonly string[] Required = ["period", "border_point", "nationality", "category", "count"];
    private static readonly string[] Optional = ["sex", "age_group"];

    public static async Task<ParsedSubmission> ReadAsync(TextReader text, string? reportingCountry, CancellationToken ct)
    {
        var errors = new List<SubmissionError>();
        var rows = new List<RawObservation>();
        try
        {
            string[]? header = null;
            int[] personalColumns = [];
            await foreach (var record in CsvRecordReader.ReadAsync(text, ct))
            {
                if (header is null)
                {
                    header = record.Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
                    foreach (var column in Required.Where(c => !header.Contains(c)))
                        errors.Add(new(record.Line, column, "column is missing from the header"));
                    if (errors.Count > 0) break;
                    personalColumns = Enumerable.Range(0, header.Length)
                        .Where(i => !Required.Contains(header[i]) && !Optional.Contains(header[i])).ToArray();
                    continue;
                }
                if (record.Fields.Length != header.Length)
                {
                    errors.Add(new(record.Line, "row", $"has {record.Fields.Length} fields; the header has {header.Length}"));
                }
                else
                {
                    var fields = record.Fields;
                    string? Field(string name) => Array.IndexOf(header, name) is var i and >= 0 ? fields[i] : null;
                    var personal = personalColumns.Where(i => fields[i].Length > 0).ToDictionary(i => header[i], i => fields[i]);
                    var row = ObservationRules.Build(record.Line, Field("period"), Field("border_point"), Field("nationality"),
                        Field("category"), Field("sex"), Field("age_group"), Field("count"), personal, errors);
                    if (row is not null) rows.Add(row);
                }
                if (errors.Count >= ObservationRules.MaximumErrors) break;
            }
            if (header is null) errors.Add(new(1, "header", "the file is empty; expected a header line"));
        }
        catch (CsvFormatException ex)
        {
            errors.Add(new(ex.Line, "row", ex.Reason));
        }
        return new ParsedSubmission("csv", reportingCountry, rows, errors);
    }
}
