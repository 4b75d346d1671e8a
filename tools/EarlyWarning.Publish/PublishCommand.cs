using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Spectre.Console;

namespace EarlyWarning.Publish;

/// <summary>
/// earlywarning-publish: uploads one submission file (JSON, CSV or SDMX-CSV) to the ingestion API with a progress
/// bar, then prints the receipt, or the problem and its errors (line, field, reason) as a table.
/// </summary>
internal static class PublishCommand
{
    public const int Accepted = 0;
    public const int Rejected = 1;
    public const int Failed = 2;

    public static RootCommand Create(IAnsiConsole? console = null)
    {
        var file = new Argument<FileInfo>("file") { Description = "The submission: .json, or CSV / SDMX-CSV (told apart by the header)" };
        var url = new Option<string>("--url")
        {
            Description = "Ingestion's address (default: $EW_INGESTION_URL, else http://127.0.0.1:5101)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EW_INGESTION_URL") ?? "http://127.0.0.1:5101",
        };
        url.Validators.Add(result =>
        {
            if (!Uri.TryCreate(result.GetValueOrDefault<string>(), UriKind.Absolute, out _)) result.AddError("--url must be an absolute http(s) address");
        });
        var key = new Option<string?>("--key") { Description = "The publisher's API key (default: $EW_API_KEY)" };
        var country = new Option<string?>("--country") { Description = "Reporting country (ISO 3166-1 alpha-3); must be the key's" };
        var format = new Option<string?>("--format") { Description = "json, csv or sdmx, when the file's name and header do not tell" };
        format.AcceptOnlyFromAmong("json", "csv", "sdmx");
        var charset = new Option<string?>("--charset") { Description = "The file's character set when not UTF-8 (iso-8859-1, windows-1252)" };
        var separator = new Option<string?>("--separator") { Description = "CSV separator when not detected from the header: comma or semicolon" };
        var idempotencyKey = new Option<string?>("--idempotency-key")
        {
            Description = "Makes a retry safe (default: the file's SHA-256, so publishing the same file again stores nothing twice)",
        };
        var follow = new Option<bool>("--follow") { Description = "After acceptance, follow the submission through the stages until it is evaluated" };
        var root = new RootCommand("Publishes a flow-data file to EarlyWarning's ingestion API.")
        {
            file, url, key, country, format, charset, separator, idempotencyKey, follow,
        };
        root.SetAction(async (parse, ct) =>
        {
            var output = console ?? AnsiConsole.Console;
            var apiKey = parse.GetValue(key) ?? Environment.GetEnvironmentVariable("EW_API_KEY");
            if (string.IsNullOrEmpty(apiKey))
            {
                output.MarkupLine("[red]error:[/] no API key: pass --key or set EW_API_KEY");
                return Failed;
            }
            SubmissionFile submission;
            try
            {
                submission = await SubmissionFile.InspectAsync(parse.GetValue(file)!.FullName, parse.GetValue(format), parse.GetValue(charset), ct);
            }
            catch (Exception ex) when (ex is FileNotFoundException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                output.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return Failed;
            }
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(url)!), Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            var query = string.Join('&', new[] { ("country", parse.GetValue(country)), ("separator", parse.GetValue(separator)) }
                .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
            try
            {
                var response = await UploadAsync(output, http, submission, query, parse.GetValue(idempotencyKey) ?? $"sha256-{submission.Sha256}", ct);
                var exit = await ReportAsync(output, response, ct);
                if (exit == Accepted && parse.GetValue(follow)) await SubmissionProgress.FollowAsync(output, http, response.Headers.Location, ct);
                return exit;
            }
            catch (HttpRequestException ex)
            {
                output.MarkupLineInterpolated($"[red]error:[/] {http.BaseAddress}: {ex.Message}");
                return Failed;
            }
        });
        return root;
    }

    private static async Task<HttpResponseMessage> UploadAsync(IAnsiConsole output, HttpClient http, SubmissionFile file, string query, string idempotencyKey, CancellationToken ct)
    {
        HttpResponseMessage? response = null;
        await output.Progress().AutoClear(false).Columns(
                new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var upload = progress.AddTask($"{Path.GetFileName(file.Path)} ({file.ContentType.Split(';')[0]})", maxValue: Math.Max(1, file.Length));
                var content = new ProgressContent(file.Path, new Progress<long>(sent => upload.Value = sent));
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/submissions{(query.Length > 0 ? "?" + query : "")}") { Content = content };
                request.Headers.Add("Idempotency-Key", idempotencyKey);
                response = await http.SendAsync(request, ct);
                upload.Value = upload.MaxValue;
            });
        return response!;
    }

    /// <summary>Prints the receipt (202) or the problem document with its errors; returns the exit code.</summary>
    private static async Task<int> ReportAsync(IAnsiConsole output, HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement;
        }
        catch (JsonException)
        {
            output.MarkupLineInterpolated($"[red]{(int)response.StatusCode} {response.ReasonPhrase}[/] {text}");
            return Failed;
        }
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            var receipt = new Table().Title("Accepted").AddColumns("", "");
            receipt.ShowHeaders = false;
            foreach (var property in body.EnumerateObject()) receipt.AddRow(Markup.Escape(property.Name), Markup.Escape(property.Value.ToString()));
            output.Write(receipt);
            return Accepted;
        }
        var title = body.TryGetProperty("title", out var t) ? t.GetString() : response.ReasonPhrase;
        output.MarkupLineInterpolated($"[red]{(int)response.StatusCode}[/] {title}");
        if (body.TryGetProperty("detail", out var detail)) output.MarkupLineInterpolated($"{detail.GetString()}");
        if (body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            var table = new Table().AddColumns("line", "field", "reason");
            foreach (var error in errors.EnumerateArray())
                table.AddRow(Markup.Escape(Field(error, "line")), Markup.Escape(Field(error, "field")), Markup.Escape(Field(error, "reason")));
            output.Write(table);
        }
        return (int)response.StatusCode is >= 400 and < 500 ? Rejected : Failed;
    }

    private static string Field(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.ToString() : "";
}
