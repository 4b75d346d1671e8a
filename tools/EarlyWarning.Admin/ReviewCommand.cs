using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EarlyWarning.Admin;

/// <summary>
/// earlywarning-admin review: the steward's command over Classification's review API. Lists held values with their
/// ranked suggestions; accepts one, chooses another code, keeps a value held, adds a point, or starts a country's
/// table; shows the diff of the policy files (--dry-run writes nothing) and replays the country's held cells.
/// </summary>
internal static class ReviewCommand
{
    private static readonly Option<string> Url = new("--url")
    {
        Description = "Classification's base address (default: $EW_CLASSIFICATION_URL or http://127.0.0.1:5103)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EW_CLASSIFICATION_URL") ?? "http://127.0.0.1:5103",
    };
    private static readonly Option<string?> Key = new("--api-key") { Description = "An operator's API key (default: $EW_API_KEY)" };
    private static readonly Option<string> Country = new("--country") { Description = "The reporting country (ISO 3166-1 alpha-3)", Required = true };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Show the policy diff; write and replay nothing" };
    private static readonly Option<string> Kind = new("--kind") { Description = "category, place, age, sex or nationality", DefaultValueFactory = _ => "category" };
    private static readonly Argument<string> Written = new("written") { Description = "The held value exactly as listed" };

    public static Command Create()
    {
        var review = new Command("review", "Held values, their suggestions and the steward's decisions (Classification's /api/review)");
        review.Subcommands.Add(List());
        review.Subcommands.Add(Accept());
        review.Subcommands.Add(KeepHeld());
        review.Subcommands.Add(AddPoint());
        review.Subcommands.Add(AcceptAll());
        review.Subcommands.Add(Template());
        foreach (var command in review.Subcommands) { command.Options.Add(Url); command.Options.Add(Key); }
        return review;
    }

    private static Command List()
    {
        var command = new Command("list", "The country's held values, most cells first, each with its ranked suggestions") { Country };
        command.SetAction((parse, ct) => Run(parse, async http =>
        {
            var values = await http.GetFromJsonAsync<JsonArray>($"/api/review/unmapped?country={parse.GetValue(Country)}", ct) ?? [];
            foreach (var value in values)
            {
                Console.WriteLine($"{value!["kind"],-11} {Quoted(value["written"]),-45} {value["cells"],6} cells  {value["status"]}{(value["why"] is { } why ? ": " + why : "")}");
                var rank = 0;
                foreach (var s in value["suggestions"]!.AsArray())
                {
                    var evidence = s!["evidence"]!.AsArray().FirstOrDefault();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"    {++rank}. {s["action"],-9} {s["code"],-24} {s["score"]!.GetValue<double>(),4:0.00}  {s["label"]}  [{evidence?["how"]}: {Quoted(evidence?["matched"])} in {evidence?["source"]}]"));
                }
            }
            return 0;
        }, ct));
        return command;
    }

    private static Command Accept()
    {
        var code = new Option<string?>("--code") { Description = "The code (or point) to map it to; default: the top suggestion, if it is a good one" };
        var command = new Command("accept", "Maps a held value: the top suggestion, or the code given") { Country, Kind, Written, code, DryRun };
        command.SetAction((parse, ct) => Run(parse, async http =>
        {
            var (country, kind, written) = (parse.GetValue(Country)!, parse.GetValue(Kind)!, parse.GetValue(Written)!);
            var chosen = parse.GetValue(code);
            var action = kind == "place" ? "alias" : "map";
            if (chosen is null)
            {
                var values = await http.GetFromJsonAsync<JsonArray>($"/api/review/unmapped?country={country}", ct) ?? [];
                var value = values.FirstOrDefault(v => (string?)v!["kind"] == kind && (string?)v["written"] == written);
                if (value is null) { Console.Error.WriteLine($"error: no held {kind} '{written}' for {country}"); return AdminCommand.NotFound; }
                if ((string?)value["status"] != "suggested")
                {
                    Console.Error.WriteLine($"error: '{written}' has no good suggestion ({value["status"]}); give --code");
                    return AdminCommand.InvalidArguments;
                }
                var top = value["suggestions"]![0]!;
                (action, chosen) = ((string)top["action"]!, (string)top["code"]!);
                if (action == "new-point") { Console.Error.WriteLine("error: the top suggestion is a new point: use add-point"); return AdminCommand.InvalidArguments; }
            }
            return await Decide(http, country, [new { kind, written, action, code = chosen }], null, parse.GetValue(DryRun), ct);
        }, ct));
        return command;
    }

    private static Command KeepHeld()
    {
        var reason = new Option<string>("--reason") { Description = "Why it is no flow category", DefaultValueFactory = _ => "not a flow category" };
        var command = new Command("keep-held", "Records that a held category is no flow category: it stays held, on purpose") { Country, Written, reason, DryRun };
        command.SetAction((parse, ct) => Run(parse, http => Decide(http, parse.GetValue(Country)!,
            [new { kind = "category", written = parse.GetValue(Written), action = "keep-held", reason = parse.GetValue(reason) }], null, parse.GetValue(DryRun), ct), ct));
        return command;
    }

    private static Command AddPoint()
    {
        var region = new Option<string>("--region") { Description = "Its first-level region (ISO 3166-2)", Required = true };
        var regionName = new Option<string?>("--region-name") { Description = "The region's name, when the gazetteer does not list it yet" };
        var kind = new Option<string>("--point-kind") { Description = "border-crossing, flow-monitoring, reception-station, airport or port", Required = true };
        var name = new Option<string?>("--name") { Description = "Its name (default: the held spelling)" };
        var code = new Option<string?>("--code") { Description = "Its code (default: derived from the name, e.g. ECU-PUERTO-BOLIVAR)" };
        var neighbour = new Option<string?>("--neighbour") { Description = "The neighbouring country of a border crossing (ISO3)" };
        var lat = new Option<double?>("--lat");
        var lon = new Option<double?>("--lon");
        var command = new Command("add-point", "Adds a held place spelling as a new point of the gazetteer")
        {
            Country, Written, region, regionName, kind, name, code, neighbour, lat, lon, DryRun,
        };
        command.SetAction((parse, ct) => Run(parse, http => Decide(http, parse.GetValue(Country)!,
        [
            new
            {
                kind = "place", written = parse.GetValue(Written), action = "new-point",
                point = new
                {
                    region = parse.GetValue(region), regionName = parse.GetValue(regionName), code = parse.GetValue(code), name = parse.GetValue(name),
                    kind = parse.GetValue(kind), neighbour = parse.GetValue(neighbour), lat = parse.GetValue(lat), lon = parse.GetValue(lon),
                },
            },
        ], null, parse.GetValue(DryRun), ct), ct));
        return command;
    }

    private static Command AcceptAll()
    {
        var minimum = new Option<double>("--min-score") { Description = "Accept every top suggestion scoring at least this (0.6 to 1)", Required = true };
        var command = new Command("accept-all", "Accepts every top suggestion above a score: an explicit choice, shown as a diff first with --dry-run") { Country, minimum, DryRun };
        command.SetAction((parse, ct) => Run(parse, http => Decide(http, parse.GetValue(Country)!, [], parse.GetValue(minimum), parse.GetValue(DryRun), ct), ct));
        return command;
    }

    private static Command Template()
    {
        var command = new Command("template", "Starts the mapping table of a country that has none (labels of the code lists, the agreement's age bands)") { Country, DryRun };
        command.SetAction((parse, ct) => Run(parse, async http =>
        {
            using var response = await http.PostAsync($"/api/review/tables/{parse.GetValue(Country)}?dryRun={(parse.GetValue(DryRun) ? "true" : "false")}", null, ct);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
            if (!response.IsSuccessStatusCode) return Problem(body);
            Console.WriteLine(body!["diff"]);
            Console.Error.WriteLine(parse.GetValue(DryRun) ? "dry run: nothing written" : $"written {body["file"]}");
            return 0;
        }, ct));
        return command;
    }

    private static async Task<int> Decide(HttpClient http, string country, object[] decisions, double? acceptTopAbove, bool dryRun, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/api/review/decisions", new { country, decisions, acceptTopAbove, dryRun }, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        if (!response.IsSuccessStatusCode) return Problem(body);
        foreach (var change in body!["changes"]!.AsArray()) Console.Write((string?)change!["diff"]);
        if (dryRun) { Console.Error.WriteLine($"dry run: {body["decisions"]!.AsArray().Count} decisions, nothing written"); return 0; }
        var replay = body["replay"]!;
        Console.Error.WriteLine($"written; policy {replay["policyDigest"]}: {replay["replayed"]} held cells replayed in {replay["messages"]} messages, {replay["stillHeld"]} still held");
        return 0;
    }

    private static int Problem(JsonObject? problem)
    {
        Console.Error.WriteLine($"error: {problem?["title"]}: {problem?["detail"]}");
        return problem?["status"]?.GetValue<int>() == 422 ? AdminCommand.InvalidArguments : AdminCommand.Failed;
    }

    private static string Quoted(JsonNode? node) => node is null ? "" : JsonSerializer.Serialize((string?)node, Json);
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task<int> Run(ParseResult parse, Func<HttpClient, Task<int>> action, CancellationToken ct)
    {
        var key = parse.GetValue(Key) ?? Environment.GetEnvironmentVariable("EW_API_KEY");
        if (string.IsNullOrWhiteSpace(key)) { Console.Error.WriteLine("error: give --api-key or set EW_API_KEY (an operator's key)"); return AdminCommand.InvalidArguments; }
        using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(Url)!), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        try
        {
            return await action(http);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"error: {parse.GetValue(Url)}: {e.Message}");
            return AdminCommand.Failed;
        }
    }
}
