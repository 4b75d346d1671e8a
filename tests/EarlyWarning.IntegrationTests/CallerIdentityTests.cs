using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

/// <summary>Who may call what, over HTTP against the real services: API keys issued with earlywarning-admin, and JWTs.</summary>
[Collection(SystemCollection.Name)]
public sealed class CallerIdentityTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_call_without_a_credential_is_401_with_a_problem_document_and_health_stays_open()
    {
        using var ingestion = system.Client(system.Ingestion, apiKey: null);
        using var alerting = system.Client(system.Alerting, apiKey: null);
        var point = SyntheticSubmission.NewBorderPoint();

        var submit = await ingestion.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(SyntheticSubmission.Csv(point, weeks: 2)));
        var alerts = await alerting.GetAsync("/api/alerts");
        var forged = await system.Client(system.Alerting, "ew_" + Guid.NewGuid().ToString("N") + "_guessed").GetAsync("/api/alerts");

        foreach (var response in new[] { submit, alerts, forged })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(401, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        }
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM ingestion.observations WHERE border_point = @p", ("p", point)));
        foreach (var service in new[] { system.Ingestion, system.Anonymization, system.Classification, system.Alerting })
            Assert.Equal(HttpStatusCode.OK, (await system.Client(service, apiKey: null).GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_is_401_from_the_next_request_on_and_a_rotated_key_replaces_it()
    {
        var key = await system.IssueKeyAsync("publisher", "--country", "CHL");
        using var publisher = system.Client(system.Ingestion, key);
        var csv = SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 2);
        Assert.Equal(HttpStatusCode.Accepted, (await publisher.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(csv))).StatusCode);

        var keyId = key.Split('_')[1];
        var rotated = await system.AdminAsync("keys", "rotate", keyId);
        Assert.Equal(0, rotated.ExitCode);
        using var replacement = system.Client(system.Ingestion, rotated.Output.Trim());
        var afterRotation = await publisher.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(csv));
        var withReplacement = await replacement.PostAsync("/api/submissions?country=CHL",
            SyntheticSubmission.Content(SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 2)));
        Assert.Equal(0, (await system.AdminAsync("keys", "revoke", rotated.Output.Trim().Split('_')[1])).ExitCode);
        var afterRevocation = await replacement.GetAsync("/api/submissions/" + Guid.NewGuid());

        Assert.Equal(HttpStatusCode.Unauthorized, afterRotation.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, withReplacement.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevocation.StatusCode);
        var listed = await system.AdminAsync("keys", "list", "--all");
        Assert.Contains(keyId, listed.Output);
        Assert.DoesNotContain(key, listed.Output);
    }

    [Fact]
    public async Task A_chl_publisher_posting_for_per_is_403_whatever_the_query_or_body_says_and_nothing_is_stored()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var csv = SyntheticSubmission.Csv(point, weeks: 2);
        var json = JsonSerializer.Serialize(new
        {
            reportingCountry = "PER",
            observations = new[] { new { period = "2024-01-01", borderPoint = point, nationality = "venezolana", category = "Ingreso", sex = "F", count = 20 } },
        });

        var byQuery = await system.IngestionApi.PostAsync("/api/submissions?country=PER", SyntheticSubmission.Content(csv));
        var byBody = await system.IngestionApi.PostAsync("/api/submissions", new StringContent(json, Encoding.UTF8, "application/json"));

        foreach (var response in new[] { byQuery, byBody })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("CHL", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM ingestion.observations WHERE border_point = @p", ("p", point)));
    }

    [Fact]
    public async Task A_publisher_sees_its_own_submissions_only()
    {
        using var peru = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", "PER"));
        var accepted = await system.IngestionApi.PostAsync("/api/submissions?country=CHL",
            SyntheticSubmission.Content(SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 1)));
        var location = accepted.Headers.Location!.ToString();

        Assert.Equal(HttpStatusCode.OK, (await system.IngestionApi.GetAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await peru.GetAsync(location)).StatusCode);
    }

    [Fact]
    public async Task An_analyst_scoped_to_chl_sees_chl_alerts_and_no_per_alert()
    {
        using var peru = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", "PER"));
        var (chlPoint, perPoint) = (SyntheticSubmission.NewBorderPoint(), SyntheticSubmission.NewBorderPoint());
        var surge = new Dictionary<int, int> { [11] = 160 };
        Assert.Equal(HttpStatusCode.Accepted, (await system.IngestionApi.PostAsync("/api/submissions?country=CHL",
            SyntheticSubmission.Content(SyntheticSubmission.Csv(chlPoint, weeks: 12, surge)))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await peru.PostAsync("/api/submissions?country=PER",
            SyntheticSubmission.Content(SyntheticSubmission.Csv(perPoint, weeks: 12, surge)))).StatusCode);
        Assert.Equal(2, await system.WaitForCountAsync(
            "SELECT count(DISTINCT reporting_country) FROM alerting.alerts WHERE border_point IN (@chl, @per)", 2, Patience,
            ("chl", Code("CHL", chlPoint)), ("per", Code("PER", perPoint))));

        using var chlAnalyst = system.Client(system.Alerting, await system.IssueKeyAsync("analyst", "--countries", "CHL"));
        using var operatorClient = system.Client(system.Alerting, await system.IssueKeyAsync("operator"));
        var seenByAnalyst = await CountriesAsync(chlAnalyst, "/api/alerts?limit=10000");
        var seenByOperator = await CountriesAsync(operatorClient, "/api/alerts?limit=10000");
        var askingForPeru = await chlAnalyst.GetAsync("/api/alerts?country=PER");
        var publisherAsking = await system.Client(system.Alerting, await system.IssueKeyAsync("publisher", "--country", "CHL")).GetAsync("/api/alerts");

        Assert.Contains(("CHL", Code("CHL", chlPoint)), seenByAnalyst);
        Assert.All(seenByAnalyst, alert => Assert.Equal("CHL", alert.Country));
        Assert.Contains(("PER", Code("PER", perPoint)), seenByOperator);
        Assert.Equal(HttpStatusCode.Forbidden, askingForPeru.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, publisherAsking.StatusCode);
        Assert.Equal("application/problem+json", publisherAsking.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_jwt_with_a_country_claim_works_like_an_api_key_of_that_country()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var token = system.Jwt(new Dictionary<string, object> { ["role"] = "publisher", ["country"] = "CHL" });
        using var publisher = system.Client(system.Ingestion, apiKey: null);
        publisher.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var accepted = await publisher.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(SyntheticSubmission.Csv(point, weeks: 2)));
        var otherCountry = await publisher.PostAsync("/api/submissions?country=PER", SyntheticSubmission.Content(SyntheticSubmission.Csv(point, weeks: 2)));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("CHL", (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reportingCountry").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, otherCountry.StatusCode);

        using var analyst = system.Client(system.Alerting, apiKey: null);
        analyst.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            system.Jwt(new Dictionary<string, object> { ["role"] = "analyst", ["countries"] = "CHL" }));
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/alerts?country=CHL")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/alerts?country=PER")).StatusCode);
    }

    [Fact]
    public async Task A_jwt_from_an_untrusted_signer_or_expired_or_without_a_country_is_401()
    {
        using var stranger = RSA.Create(2048);
        var tokens = new[]
        {
            system.Jwt(new Dictionary<string, object> { ["role"] = "publisher", ["country"] = "CHL" }, signer: stranger),
            system.Jwt(new Dictionary<string, object> { ["role"] = "publisher", ["country"] = "CHL" }, lifetime: TimeSpan.FromMinutes(-6)),
            system.Jwt(new Dictionary<string, object> { ["role"] = "publisher" }),
            system.Jwt(new Dictionary<string, object> { ["role"] = "administrator", ["country"] = "CHL" }),
        };
        foreach (var token in tokens)
        {
            using var client = system.Client(system.Ingestion, apiKey: null);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 1)));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_jwt_unsigned_or_hmac_signed_with_the_public_key_or_of_another_type_or_algorithm_or_without_sub_or_scoped_to_the_region_total_is_401()
    {
        var analyst = new Dictionary<string, object> { ["role"] = "analyst", ["countries"] = "CHL" };
        var tokens = new Dictionary<string, string>
        {
            ["alg none"] = system.Jwt(analyst, alg: "none"),
            ["HS256 keyed with the public key"] = system.Jwt(analyst, alg: "HS256"),
            ["RS384, not pinned"] = system.Jwt(analyst, alg: "RS384"),
            ["typ logout+jwt"] = system.Jwt(analyst, typ: "logout+jwt"),
            ["no typ"] = system.Jwt(analyst, typ: null),
            ["no sub"] = system.Jwt(analyst, subject: false),
            ["countries _T"] = system.Jwt(new Dictionary<string, object> { ["role"] = "analyst", ["countries"] = new[] { "_T" } }),
            ["countries CHL _T"] = system.Jwt(new Dictionary<string, object> { ["role"] = "analyst", ["countries"] = "CHL _T" }),
        };
        using var accepted = system.Client(system.Alerting, apiKey: null);
        accepted.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system.Jwt(analyst, typ: "at+jwt"));
        Assert.Equal(HttpStatusCode.OK, (await accepted.GetAsync("/api/alerts?country=CHL")).StatusCode);

        var answers = new List<string>();
        foreach (var (flaw, token) in tokens)
        {
            using var client = system.Client(system.Alerting, apiKey: null);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.GetAsync("/api/alerts?country=_T");
            answers.Add($"{flaw}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
        }
        Assert.All(answers, answer => Assert.EndsWith(": 401 application/problem+json", answer));
    }

    [Fact]
    public async Task Requests_without_a_valid_credential_over_the_address_limit_are_429_with_retry_after_while_keys_and_health_go_on()
    {
        using var forged = system.Client(system.Anonymization, "ew_" + Guid.NewGuid().ToString("N") + "_guessed");
        using var operatorClient = system.Client(system.Anonymization, await system.IssueKeyAsync("operator"));
        var audit = "/api/submissions/" + Guid.NewGuid() + "/audit";

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < SystemFixture.AnonymizationAddressBurst + 5; i++) responses.Add(await forged.GetAsync(audit));
        var meanwhile = await operatorClient.GetAsync(audit);
        var health = await system.Client(system.Anonymization, apiKey: null).GetAsync("/health/ready");

        Assert.All(responses.Take(SystemFixture.AnonymizationAddressBurst), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        var limited = responses.LastOrDefault(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited);
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")));
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, meanwhile.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(retryAfter) + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync(audit)).StatusCode);
    }

    [Fact]
    public async Task A_key_over_its_limit_is_429_with_retry_after_and_another_key_is_not_held_back()
    {
        using var busy = system.Client(system.Anonymization, await system.IssueKeyAsync("operator"));
        using var other = system.Client(system.Anonymization, await system.IssueKeyAsync("publisher", "--country", "CHL"));
        var audit = "/api/submissions/" + Guid.NewGuid() + "/audit";

        var burst = await Task.WhenAll(Enumerable.Range(0, SystemFixture.AnonymizationCallerBurst * 3).Select(_ => busy.GetAsync(audit)));
        var otherKey = await other.GetAsync(audit);

        var limited = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(burst.Except(limited), r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.All(limited, r => Assert.InRange(int.Parse(Assert.Single(r.Headers.GetValues("Retry-After"))), 1, 60));
        Assert.Equal(HttpStatusCode.NotFound, otherKey.StatusCode);
    }

    private static string Code(string country, string point) => country + "-" + point.ToUpperInvariant().Replace(' ', '-');

    private static async Task<List<(string Country, string BorderPoint)>> CountriesAsync(HttpClient client, string url)
    {
        var alerts = await client.GetFromJsonAsync<JsonElement>(url);
        return alerts.EnumerateArray().Select(a => (a.GetProperty("reportingCountry").GetString()!, a.GetProperty("borderPoint").GetString()!)).ToList();
    }
}
