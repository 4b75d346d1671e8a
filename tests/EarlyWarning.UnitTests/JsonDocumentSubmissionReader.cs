using System.Text.Json;
using EarlyWarning.Contracts;
using EarlyWarning.Ingestion.Submissions;
using Microsoft.AspNetCore.Http;

namespace EarlyWarning.UnitTests;

/// <summary>
/// The JSON reader as it was before it streamed (the whole document parsed into a JsonDocument first), kept as the
/// oracle the streaming reader must agree with. Unchanged but for its name and namespace.
/// </summary>
internal static class JsonDocumentSubmissionReader
{
    private static readonly string[] Properties = ["period", "borderPoint", "nationality", "category", "sex", "ageGroup", "count", "personal"];

    public static async Task<ParsedSubmission> ReadAsync(Stream body, ReadContext context, IObservationSink rows, CancellationToken ct)
    {
        var errors = new List<SubmissionError>();
        var reportingCountry = context.Country;
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 16 }, ct);
        }
        catch (JsonException ex)
        {
            return new ParsedSubmission("json", reportingCountry, [],
                [new((int)(ex.LineNumber ?? 0) + 1, "body", $"is not valid JSON: {ex.Message}")]);
        }
        var line = 0;
        using (document)
        try
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new ParsedSubmission("json", reportingCountry, [], [new(0, "body", "must be a JSON object")]);
            if (root.TryGetProperty("reportingCountry", out var country) && country.ValueKind == JsonValueKind.String)
                reportingCountry ??= country.GetString();
            reportingCountry ??= context.CallerCountry;
            foreach (var property in root.EnumerateObject())
                if (property.Name is not ("reportingCountry" or "observations"))
                    errors.Add(new(0, ObservationRules.Shorten(property.Name), "is not a property of a submission (reportingCountry, observations)"));
            if (!root.TryGetProperty("observations", out var observations) || observations.ValueKind != JsonValueKind.Array)
                return new ParsedSubmission("json", reportingCountry, [], [.. errors, new(0, "observations", "must be an array")]);

            var agreement = context.Agreements.For(reportingCountry);
            foreach (var item in observations.EnumerateArray())
            {
                line++;
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new(line, "observation", "must be a JSON object"));
                    continue;
                }
                var before = errors.Count;
                foreach (var property in item.EnumerateObject())
                    if (!Properties.Contains(property.Name))
                        errors.Add(new(line, ObservationRules.Shorten(property.Name), $"is not a property of an observation ({string.Join(", ", Properties)})"));
                var personal = Personal(item, line, agreement, errors);
                if (errors.Count > before) continue;
                var row = ObservationRules.Build(line, context.Rules, Text(item, "period"), Text(item, "borderPoint"), Text(item, "nationality"),
                    Text(item, "category"), Text(item, "sex"), Text(item, "ageGroup"), Text(item, "count"), personal, errors);
                if (row is not null)
                {
                    if (rows.Count >= context.Limits.MaximumObservations)
                        throw new SubmissionRefusedException(StatusCodes.Status413PayloadTooLarge, "Submission too large",
                            new(line, "observations", $"more than {context.Limits.MaximumObservations} rows (Ingestion:Limits:MaximumObservations); split the file"));
                    await rows.AddAsync(reportingCountry, row, ct);
                }
                if (errors.Count >= ObservationRules.MaximumErrors) break;
            }
        }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException || ex.Message.Contains("UTF-8", StringComparison.Ordinal))
        {
            // The parser checks the structure; a string's bytes are decoded (and found not to be UTF-8) only when read.
            errors.Add(new(line, line == 0 ? "body" : "observation", "contains bytes that are not valid UTF-8"));
        }
        return new ParsedSubmission("json", reportingCountry, [], errors);
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

    private static Dictionary<string, string>? Personal(JsonElement item, int line, EarlyWarning.Ingestion.Agreements.AgreementColumns agreement, List<SubmissionError> errors)
    {
        if (!item.TryGetProperty("personal", out var personal) || personal.ValueKind == JsonValueKind.Null) return null;
        if (personal.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(line, "personal", "must be an object of record-level fields"));
            return null;
        }
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in personal.EnumerateObject())
        {
            if (!agreement.Personal.Contains(field.Name))
                errors.Add(new(line, $"personal.{ObservationRules.Shorten(field.Name)}", $"is not declared as a record-level personal field by agreement {agreement.AgreementId}"));
            else if (!fields.TryAdd(field.Name, field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : field.Value.GetRawText()))
                errors.Add(new(line, $"personal.{field.Name}", "appears twice (names are compared without regard to case)"));
        }
        return fields.Count == 0 ? null : fields.ToDictionary(f => f.Key.ToLowerInvariant(), f => f.Value);
    }
}
