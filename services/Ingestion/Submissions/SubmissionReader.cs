using System.Text;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>Chooses the reader for the request's content type and applies the checks common to all formats.</summary>
internal static class SubmissionReader
{
    public static readonly string[] SupportedMediaTypes = ["application/json", "text/csv"];

    public static async Task<ParsedSubmission?> ReadAsync(string? contentType, Stream body, string? reportingCountry, CancellationToken ct)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        ParsedSubmission parsed;
        switch (mediaType)
        {
            case "application/json":
                parsed = await JsonSubmissionReader.ReadAsync(body, reportingCountry, ct);
                break;
            case "text/csv":
                using (var text = new StreamReader(body, Encoding.UTF8))
                    parsed = await CsvSubmissionReader.ReadAsync(text, reportingCountry, ct);
                break;
            default:
                return null;
        }

        var errors = parsed.Errors.ToList();
        if (!ObservationRules.IsCountryCode(parsed.ReportingCountry))
            errors.Insert(0, new(0, "reportingCountry",
                parsed.ReportingCountry is null
                    ? "is required (query parameter ?country=, or reportingCountry in the JSON body)"
                    : $"'{parsed.ReportingCountry}' is not an ISO 3166-1 alpha-3 code"));
        if (errors.Count == 0 && parsed.Observations.Count == 0)
            errors.Add(new(0, "observations", "the submission has no rows"));
        if (errors.Count == 0) ObservationRules.RejectDuplicateCells(parsed.Observations, errors);
        return parsed with { Errors = errors };
    }
}
