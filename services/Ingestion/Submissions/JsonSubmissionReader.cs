using System.Globalization;
using System.Text.Json;
using EarlyWarning.Contracts;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// Reads a JSON submission: { "reportingCountry": "CHL", "observations": [ { "period", "borderPoint",
/// "nationality", "category", "sex", "ageGroup", "count", "personal": { ... } } ] }. Errors name the
/// 1-based position of the observation in the array as their line.
/// </summary>
internal static class JsonSubmissionReader
{
    public static async Task<ParsedSubmission> ReadAsync(Stream body, string? reportingCountry, CancellationToken ct)
    {
        var errors = new List<SubmissionError>();
        var rows = new List<RawObservation>();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return new ParsedSubmission("json", reportingCountry, rows,
                [new((int)(ex.LineNumber ?? 0) + 1, "body", $"is not valid JSON: {ex.Message}")]);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new ParsedSubmission("json", reportingCountry, rows, [new(0, "body", "must be a JSON object")]);
            if (root.TryGetProperty("reportingCountry", out var country) && country.ValueKind == JsonValueKind.String)
                reportingCountry ??= country.GetString();
            if (!root.TryGetProperty("observations", out var observations) || observations.ValueKind != JsonValueKind.Array)
                return new ParsedSubmission("json", reportingCountry, rows, [new(0, "observations", "must be an array")]);

            var line = 0;
            foreach (var item in observations.EnumerateArray())
            {
                line++;
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new(line, "observation", "must be a JSON object"));
                    continue;
                }
                var row = ObservationRules.Build(line, Text(item, "period"), Text(item, "borderPoint"), Text(item, "nationality"),
                    Text(item, "category"), Text(item, "sex"), Text(item, "ageGroup"), Text(item, "count"), Personal(item), errors);
                if (row is not null) rows.Add(row);
                if (errors.Count >= ObservationRules.MaximumErrors) break;
            }
        }
        return new ParsedSubmission("json", reportingCountry, rows, errors);
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.Null => null,
                _ => value.GetRawText(),
            }
            : null;

    private static Dictionary<string, string>? Personal(JsonElement item) =>
        item.TryGetProperty("personal", out var personal) && personal.ValueKind == JsonValueKind.Object
            ? personal.EnumerateObject().ToDictionary(p => p.Name,
                p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText())
            : null;
}
