using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// Hostile requests to every endpoint of every service (beside the hostile-input corpus of submissions): malformed,
/// oversized, slow and cross-country. Each answers a 4xx with a problem document, never a 5xx; nothing is stored; and
/// no answer to a caller of one country carries anything of another.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed partial class HostileRequestTests(SystemFixture system)
{
    private static readonly Guid Unknown = Guid.Parse("0d9b3c2e-5a61-4f0e-9d57-3b8e1f2a7c44");

    /// <summary>
    /// Every route of every service: method, service ("*": all four), route, and a path with its inputs filled in badly
    /// or naming nothing that exists (null: the endpoint takes no input to get wrong).
    /// </summary>
    private static readonly (string Method, string Service, string Route, string? Path)[] Endpoints =
    [
        ("POST", "Ingestion", "/api/submissions/", "/api/submissions?country=CHL&batchSize=-3"),
        ("GET", "Ingestion", "/api/submissions/{submissionId:guid}", $"/api/submissions/{Unknown}"),
        ("GET", "Anonymization", "/api/submissions/{id:guid}/audit", $"/api/submissions/{Unknown}/audit"),
        ("GET", "Anonymization", "/api/audit", "/api/audit?country=CHILE&limit=-1"),
        ("GET", "Classification", "/api/review/unmapped", "/api/review/unmapped?country=12345"),
        ("POST", "Classification", "/api/review/replay", "/api/review/replay?country=C%00L"),
        ("POST", "Classification", "/api/review/decisions", "/api/review/decisions"),
        ("GET", "Classification", "/api/review/decisions", "/api/review/decisions?country=%27%3B--"),
        ("POST", "Classification", "/api/review/tables/{country}", "/api/review/tables/XX1"),
        ("GET", "Classification", "/api/policy", null),
        ("GET", "Classification", "/api/export", "/api/export?format=xml&from=yesterday&to=2025-W99"),
        ("GET", "Classification", "/api/corridors", "/api/corridors?from=not-a-date"),
        ("POST", "Alerting", "/api/operations/judging-speed", "/api/operations/judging-speed?week=last-week"),
        ("GET", "Alerting", "/api/alerts", "/api/alerts?country=chl;drop&level=everything&from=soon"),
        ("GET", "Alerting", "/api/alerts/{id:guid}", $"/api/alerts/{Unknown}"),
        ("GET", "Alerting", "/api/alerts/{id:guid}/series", $"/api/alerts/{Unknown}/series?format=xlsx"),
        ("GET", "Alerting", "/api/alerts/{id:guid}/breakdown", $"/api/alerts/{Unknown}/breakdown"),
        ("GET", "Alerting", "/api/alerts/{id:guid}/revisions/{revision:int}/cap", $"/api/alerts/{Unknown}/revisions/1/cap?lang=klingon"),
        ("GET", "Alerting", "/api/alerts/{id:guid}/deliveries", $"/api/alerts/{Unknown}/deliveries"),
        ("GET", "Alerting", "/api/feeds/alerts", "/api/feeds/alerts?page=2147483647"),
        ("POST", "Alerting", "/api/subscriptions", "/api/subscriptions"),
        ("GET", "Alerting", "/api/subscriptions", null),
        ("GET", "Alerting", "/api/subscriptions/{id:guid}", $"/api/subscriptions/{Unknown}"),
        ("DELETE", "Alerting", "/api/subscriptions/{id:guid}", $"/api/subscriptions/{Unknown}"),
        ("GET", "Alerting", "/api/subscriptions/{id:guid}/feed", $"/api/subscriptions/{Unknown}/feed?page=0"),
        ("GET", "Alerting", "/api/subscriptions/{id:guid}/deliveries", $"/api/subscriptions/{Unknown}/deliveries"),
        ("GET", "*", "/api/operator/failed-messages/", null),
        ("POST", "*", "/api/operator/failed-messages/replay", "/api/operator/failed-messages/replay?messageId=%00%00"),
    ];

    private static readonly string[] Services = ["Ingestion", "Anonymization", "Classification", "Alerting"];

    private ServiceProcess Service(string name) => name switch
    {
        "Ingestion" => system.Ingestion,
        "Anonymization" => system.Anonymization,
        "Classification" => system.Classification,
        _ => system.Alerting,
    };

    private IEnumerable<(string Method, ServiceProcess Service, string Path)> Requests() =>
        Endpoints.Where(e => e.Path is not null).SelectMany(e => (e.Service == "*" ? Services : [e.Service]).Select(s => (e.Method, Service(s), e.Path!)));

    [Fact]
    public void The_suite_covers_every_endpoint_the_services_map()
    {
        var mapped = new HashSet<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TestEnvironment.RepositoryRoot, "services"), "*.cs", SearchOption.AllDirectories)
                     .Concat(Directory.EnumerateFiles(Path.Combine(TestEnvironment.RepositoryRoot, "shared"), "*.cs", SearchOption.AllDirectories))
                     .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
        {
            var text = File.ReadAllText(file);
            var groups = GroupPattern().Matches(text).ToDictionary(m => m.Groups["var"].Value, m => m.Groups["prefix"].Value);
            foreach (Match m in MapPattern().Matches(text))
            {
                var prefix = m.Groups["target"].Value is var target && groups.TryGetValue(target, out var p) ? p : "";
                mapped.Add($"{m.Groups["verb"].Value.ToUpperInvariant()} {prefix}{m.Groups["route"].Value}");
            }
        }
        var covered = Endpoints.Select(e => $"{e.Method} {e.Route}").ToHashSet();
        Assert.Empty(mapped.Except(covered).Order());
        Assert.True(mapped.Count >= 28, $"{mapped.Count} routes found");
    }

    [Fact]
    public async Task Malformed_requests_to_every_endpoint_get_a_4xx_problem_document_and_store_nothing()
    {
        var before = await StoredAsync();
        var key = await system.IssueKeyAsync("operator");
        var publisher = system.IngestionApi;
        foreach (var (method, service, path) in Requests())
        {
            using var client = service == system.Ingestion && method == "POST" ? null : system.Client(service, key);
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST") request.Content = new StringContent("{\"country\": \"CHL\", \"decisions\": [{\"kind\": 7,", Encoding.UTF8, "application/json");
            var response = await (client ?? publisher).SendAsync(request);
            await AssertRefusedAsync(response, $"{method} {service.Name} {path}");
        }
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task Oversized_bodies_and_query_strings_are_refused_with_a_4xx_by_every_service()
    {
        var before = await StoredAsync();
        var key = await system.IssueKeyAsync("operator");
        // Over a raw socket: a server that refuses early closes while an HttpClient still writes, and the answer is lost.
        foreach (var (method, service, path) in Requests().Where(r => r.Method == "POST" && r.Service != system.Ingestion))
        {
            var status = await RawPostAsync(service, key, path, 40L * 1024 * 1024);
            Assert.True(status is >= 400 and < 500, $"POST {service.Name} {path} with a 40 MB body got {status}");
        }
        foreach (var service in new[] { system.Ingestion, system.Anonymization, system.Classification, system.Alerting })
        {
            using var client = system.Client(service, key);
            var response = await client.GetAsync("/api/audit?country=" + new string('C', 100_000));
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{service.Name}: a 100 KB query string got {(int)response.StatusCode}");
        }
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task Callers_of_one_country_get_nothing_of_another_from_any_endpoint()
    {
        // Something of Chile's to ask for: an accepted submission (its audit too).
        var chile = await system.IngestionApi.PostAsync("/api/submissions?country=CHL",
            SyntheticSubmission.Content(SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 2)));
        Assert.Equal(HttpStatusCode.Accepted, chile.StatusCode);
        var submission = System.Text.Json.JsonDocument.Parse(await chile.Content.ReadAsStringAsync()).RootElement.GetProperty("submissionId").GetString()!;

        var peruAnalystKey = await system.IssueKeyAsync("analyst", "--countries", "PER");
        var peruPublisher = await system.PublisherApiAsync("PER");
        using var classification = system.Client(system.Classification, peruAnalystKey);
        using var alerting = system.Client(system.Alerting, peruAnalystKey);
        using var anonymization = system.Client(system.Anonymization, await system.IssueKeyAsync("publisher", "--country", "PER"));
        var asked = new (HttpClient Client, string Path)[]
        {
            (peruPublisher, $"/api/submissions/{submission}"),
            (anonymization, $"/api/submissions/{submission}/audit"),
            (anonymization, "/api/audit?country=CHL"),
            (classification, "/api/export?country=CHL"),
            (classification, "/api/corridors?country=CHL"),
            (alerting, "/api/alerts?country=CHL"),
            (alerting, "/api/feeds/alerts"),
            (alerting, "/api/subscriptions"),
        };
        foreach (var (client, path) in asked)
        {
            var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain(submission, body);
            Assert.DoesNotContain("CHL-", body); // no Chilean place
            Assert.DoesNotContain("\"reportingCountry\":\"CHL\"", body.Replace(" ", ""));
        }
        // A Peruvian publisher cannot publish for Chile, nor reach Chile's idempotency keys.
        var other = await peruPublisher.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 1)));
        await AssertRefusedAsync(other, "a Peruvian publisher posting for CHL");
    }

    [Fact]
    public async Task Subscriptions_per_owner_and_values_per_filter_are_capped()
    {
        using var analyst = system.Client(system.Alerting, await system.IssueKeyAsync("analyst", "--countries", "CHL"));
        var many = await analyst.PostAsJsonAsync("/api/subscriptions", new { name = "many", nationalities = Enumerable.Repeat("VEN", 201).ToArray() });
        await AssertRefusedAsync(many, "201 nationalities");
        Assert.Contains("nationalities: at most 200 values", await many.Content.ReadAsStringAsync());

        for (var i = 0; i < 100; i++)
            Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsJsonAsync("/api/subscriptions", new { name = $"feed {i}", countries = new[] { "CHL" } })).StatusCode);
        var overLimit = await analyst.PostAsJsonAsync("/api/subscriptions", new { name = "one more", countries = new[] { "CHL" } });
        Assert.Equal(HttpStatusCode.Conflict, overLimit.StatusCode);
        Assert.Equal("application/problem+json", overLimit.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_sent_too_slowly_is_cut_off_and_stores_nothing()
    {
        var before = await StoredAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, system.Ingestion.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var key = system.IngestionApi.DefaultRequestHeaders.GetValues("X-Api-Key").Single();
        var head = $"POST /api/submissions?country=CHL HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: {key}\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "period,border_point,nationality,category,count\n"));
        // A byte every two seconds: far under the server's minimum body rate. It must give up on the request by itself.
        var buffer = new byte[4096];
        var read = stream.ReadAsync(buffer).AsTask();
        var closedOrAnswered = false;
        for (var i = 0; i < 30 && !closedOrAnswered; i++)
        {
            if (await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(2))) == read) closedOrAnswered = true;
            else
            {
                try { await stream.WriteAsync("2"u8.ToArray()); }
                catch (IOException) { closedOrAnswered = true; }
            }
        }
        Assert.True(closedOrAnswered, "the server still waits for the body after a minute");
        if (read.IsCompletedSuccessfully && await read is > 0 and var count)
            Assert.Matches(@"^HTTP/1\.1 4\d\d", Encoding.ASCII.GetString(buffer, 0, count));
        Assert.Equal(before, await StoredAsync());
    }

    /// <summary>Posts a JSON body of <paramref name="length"/> bytes (its first megabyte sent) and returns the answer's status.</summary>
    private static async Task<int> RawPostAsync(ServiceProcess service, string key, string path, long length)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, service.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n";
        var reading = new StreamReader(stream, Encoding.ASCII).ReadLineAsync();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "{\"name\": \""));
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'a');
            for (var sent = 0; sent < 1024 * 1024 && !reading.IsCompleted; sent += chunk.Length) await stream.WriteAsync(chunk);
        }
        catch (IOException)
        {
            // The server stopped reading: its answer is what counts.
        }
        var line = await reading.WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
        return int.TryParse(line.Split(' ').ElementAtOrDefault(1), out var status) ? status : 0;
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status is >= 400 and < 500, $"{what}: {status} {body[..Math.Min(300, body.Length)]}");
        if (body.Length > 0 && status is not (404 or 405 or 413 or 414 or 431))
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what}: {status} is not a problem document: {body[..Math.Min(200, body.Length)]}");
    }

    private async Task<(long Submissions, long Subscriptions, long Decisions)> StoredAsync() => (
        await system.ScalarAsync("SELECT count(*) FROM ingestion.submissions"),
        await system.ScalarAsync("SELECT count(*) FROM alerting.subscriptions"),
        await system.ScalarAsync("SELECT count(*) FROM classification.review_decisions"));

    [GeneratedRegex("""var (?<var>\w+) = app\.MapGroup\("(?<prefix>[^"]*)"\)""")]
    private static partial Regex GroupPattern();

    [GeneratedRegex("""(?<target>\w+)\.Map(?<verb>Get|Post|Put|Delete|Patch)\("(?<route>[^"]*)"(?!\)\s*=>)""")]
    private static partial Regex MapPattern();
}
