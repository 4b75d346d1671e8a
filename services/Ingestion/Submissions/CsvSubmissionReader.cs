using System.Text;
using EarlyWarning.Contracts;
using EarlyWarning.Formats;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// Reads a CSV submission (',' or ';', detected from the header or stated with ?separator=) or an SDMX-CSV
/// one (first column STRUCTURE). The header must name each column once (without regard to case); a column
/// that is neither standard nor declared personal by the publishing country's agreement is refused by name.
/// </summary>
internal static class CsvSubmissionReader
{
    public static async Task<ParsedSubmission> ReadAsync(
        Stream body, Encoding? charset, bool sdmxDeclared, ReadContext context, IObservationSink rows, CancellationToken ct)
    {
        var errors = new List<SubmissionError>();
        var format = sdmxDeclared ? "sdmx-csv" : "csv";
        var country = sdmxDeclared ? context.Country : context.CsvCountry;
        string[]? header = null;
        RowReader? reader = null;
        var options = new CsvReaderOptions(context.Delimiter, context.Limits.MaximumFieldLength, context.Limits.MaximumColumns);
        try
        {
            await foreach (var record in CsvRecordReader.ReadAsync(body, charset, options, ct))
            {
                if (header is null)
                {
                    header = record.Fields.Select(h => h.Trim()).ToArray();
                    var sdmx = header.Length > 0 && header[0].Equals("STRUCTURE", StringComparison.OrdinalIgnoreCase);
                    if (sdmxDeclared && !sdmx)
                        errors.Add(new(record.Line, "STRUCTURE", "an SDMX-CSV file starts with the column STRUCTURE"));
                    else
                    {
                        format = sdmx ? "sdmx-csv" : "csv";
                        CheckHeader(record.Line, header, sdmx, context, errors);
                        if (errors.Count == 0)
                            reader = sdmx ? new SdmxCsv(header, context) : new PlainCsv(header, context);
                    }
                    if (errors.Count > 0) break;
                    continue;
                }
                if (record.Fields.Length != header.Length)
                    errors.Add(new(record.Line, "row", $"has {record.Fields.Length} fields; the header has {header.Length}"));
                else if (reader!.Read(record.Line, record.Fields, errors) is { } row)
                {
                    if (rows.Count >= context.Limits.MaximumObservations)
                        throw new SubmissionRefusedException(StatusCodes.Status413PayloadTooLarge, "Submission too large",
                            new(record.Line, "row", $"more than {context.Limits.MaximumObservations} rows (Ingestion:Limits:MaximumObservations); split the file"));
                    await rows.AddAsync(reader.Country, row, ct);
                }
                if (errors.Count >= ObservationRules.MaximumErrors) break;
            }
            if (header is null) errors.Add(new(1, "header", "the file is empty; expected a header line"));
        }
        catch (CsvFormatException ex)
        {
            var field = ex.Column is { } column && header is not null && column < header.Length ? header[column] : ex.Line == 1 ? "header" : "row";
            errors.Add(new(ex.Line, field, ex.Reason));
        }
        return new ParsedSubmission(format, reader?.Country ?? country, [], errors);
    }

    private static void CheckHeader(int line, string[] header, bool sdmx, ReadContext context, List<SubmissionError> errors)
    {
        var agreement = context.Agreements.For(context.CsvCountry);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i];
            if (name.Length == 0) { errors.Add(new(line, $"column {i + 1}", "has no name")); continue; }
            if (ObservationRules.TextProblem(name, context.Limits.MaximumFieldLength) is { } problem) { errors.Add(new(line, $"column {i + 1}", problem)); continue; }
            if (!seen.TryAdd(name, i))
            {
                errors.Add(new(line, name, $"appears twice (columns {seen[name] + 1} and {i + 1}; names are compared without regard to case)"));
                continue;
            }
            if (!StandardColumns.IsStandard(name, sdmx) && !agreement.Personal.Contains(name))
                errors.Add(new(line, name, $"is not a column of this format, and agreement {agreement.AgreementId} does not declare it as a record-level personal field (recordLevel.identifiers or recordLevel.quasiIdentifiers)"));
        }
        var required = sdmx ? SdmxCsv.Required : StandardColumns.CsvRequired;
        foreach (var column in required.Where(c => !seen.ContainsKey(c)))
            errors.Add(new(line, column, "column is missing from the header"));
    }

    /// <summary>Turns one record into a row; adds its errors.</summary>
    internal abstract class RowReader(string[] header, bool sdmx, ReadContext context)
    {
        private readonly Dictionary<string, int> _index = header.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => p.i, StringComparer.OrdinalIgnoreCase);
        protected ReadContext Context { get; } = context;
        // SDMX-CSV names its country in REF_AREA; a plain CSV file is for the stated (or the caller's) country.
        public string? Country { get; protected set; } = sdmx ? context.Country : context.CsvCountry;

        protected int[] PersonalColumns { get; } = Enumerable.Range(0, header.Length)
            .Where(i => !StandardColumns.IsStandard(header[i], sdmx)).ToArray();

        protected string? Field(string[] fields, string name) => _index.TryGetValue(name, out var i) ? fields[i] : null;

        protected Dictionary<string, string>? Personal(string[] fields) =>
            PersonalColumns.Length == 0 ? null : PersonalColumns.Where(i => fields[i].Length > 0).ToDictionary(i => header[i].ToLowerInvariant(), i => fields[i]);

        public abstract RawObservation? Read(int line, string[] fields, List<SubmissionError> errors);
    }

    private sealed class PlainCsv(string[] header, ReadContext context) : RowReader(header, sdmx: false, context)
    {
        public override RawObservation? Read(int line, string[] fields, List<SubmissionError> errors) =>
            ObservationRules.Build(line, Context.Rules, Field(fields, "period"), Field(fields, "border_point"), Field(fields, "nationality"),
                Field(fields, "category"), Field(fields, "sex"), Field(fields, "age_group"), Field(fields, "count"), Personal(fields), errors);
    }
}
