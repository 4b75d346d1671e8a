using System.Text;
using Microsoft.Net.Http.Headers;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>Chooses the reader for the request's content type and charset and applies the checks common to all formats.</summary>
internal static class SubmissionReader
{
    public const string SdmxCsvMediaType = "application/vnd.sdmx.data+csv";
    public static readonly string[] SupportedMediaTypes = ["application/json", "text/csv", SdmxCsvMediaType];
    public static readonly string[] SupportedCharsets = ["utf-8", "iso-8859-1", "windows-1252", "us-ascii"];

    static SubmissionReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// Reads the body, or throws <see cref="SubmissionRefusedException"/> when it cannot be read at all. The rows go
    /// to <paramref name="sink"/> as they are read; without one they are kept in memory and returned.
    /// </summary>
    public static async Task<ParsedSubmission> ReadAsync(string? contentType, Stream body, ReadContext context, CancellationToken ct, IObservationSink? sink = null)
    {
        var list = sink is null ? new ObservationList() : null;
        var rows = sink ?? list!;
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is null)
            throw Unsupported($"the content type '{ObservationRules.Shorten(contentType ?? "")}' is missing or not a media type");
        var mediaType = media.MediaType.Value.ToLowerInvariant();
        if (!SupportedMediaTypes.Contains(mediaType))
            throw Unsupported($"'{ObservationRules.Shorten(mediaType)}' is not read here; send one of: {string.Join(", ", SupportedMediaTypes)}");
        var charset = media.Charset.HasValue ? media.Charset.Value!.Trim('"').ToLowerInvariant() : null;
        var encoding = charset switch
        {
            null or "utf-8" or "utf8" => null,
            "iso-8859-1" or "latin1" or "l1" or "iso_8859-1" => Encoding.Latin1,
            "windows-1252" or "cp1252" => Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
            "us-ascii" or "ascii" => Encoding.ASCII,
            _ => throw Unsupported($"charset '{ObservationRules.Shorten(charset)}' is not read here; send one of: {string.Join(", ", SupportedCharsets)}"),
        };

        var parsed = mediaType switch
        {
            "application/json" when encoding is not null && charset is not ("us-ascii" or "ascii") =>
                throw Unsupported("JSON is read as UTF-8 only (RFC 8259); drop the charset or send charset=utf-8"),
            "application/json" => await JsonSubmissionReader.ReadAsync(body, context, rows, ct),
            _ => await CsvSubmissionReader.ReadAsync(body, encoding, mediaType == SdmxCsvMediaType, context, rows, ct),
        };

        var errors = parsed.Errors.ToList();
        if (!ObservationRules.IsCountryCode(parsed.ReportingCountry))
            errors.Insert(0, new(0, "reportingCountry",
                parsed.ReportingCountry is null
                    ? "is required (query parameter ?country=, or reportingCountry in the JSON body)"
                    : $"'{ObservationRules.Shorten(parsed.ReportingCountry)}' is not an ISO 3166-1 alpha-3 code"));
        if (errors.Count == 0 && rows.Count == 0)
            errors.Add(new(0, "observations", "the submission has no rows"));
        if (errors.Count == 0) errors.AddRange(await rows.DuplicatesAsync(ct));
        return parsed with { Errors = errors, Observations = list?.Rows ?? [], RowCount = rows.Count };
    }

    private static SubmissionRefusedException Unsupported(string reason) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", new SubmissionError(0, "Content-Type", reason));
}
