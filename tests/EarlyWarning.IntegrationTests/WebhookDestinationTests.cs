using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// Webhooks cannot be pointed at the hub's own network: the Alerting service under test allows 127.0.0.1 alone
/// (<see cref="SystemFixture.AllowedWebhookHost"/>), so any other loopback address, or a name resolving to loopback,
/// is refused at registration with a 400 naming webhookUrl, and a delivery to one that got into the outbox anyway
/// (stored before the check existed) is refused when connecting and logged as "destination not allowed", nothing more.
/// Every destination here is a loopback one.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class WebhookDestinationTests(SystemFixture system)
{
    private static async Task AssertRefusedNamingTheFieldAsync(HttpClient analyst, string url)
    {
        var response = await analyst.PostAsJsonAsync("/api/subscriptions", new { name = "probe", webhookUrl = url });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Invalid subscription", problem.GetProperty("title").GetString());
        Assert.StartsWith("webhookUrl: ", problem.GetProperty("detail").GetString());
        Assert.Contains("is not an allowed destination", problem.GetProperty("detail").GetString());
    }

    private static async Task<Guid> SubscribeAsync(HttpClient analyst, string name, string url)
    {
        var response = await analyst.PostAsJsonAsync("/api/subscriptions", new { name, countries = new[] { "CHL" }, webhookUrl = url });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("subscriptionId").GetGuid();
    }

    /// <summary>Ends the analyst's subscriptions, so that other tests' alerts are not sent to receivers that are gone.</summary>
    private static async Task UnsubscribeAllAsync(HttpClient analyst)
    {
        foreach (var s in (await analyst.GetFromJsonAsync<JsonElement>("/api/subscriptions")).EnumerateArray())
            await analyst.DeleteAsync($"/api/subscriptions/{s.GetProperty("subscriptionId").GetGuid()}");
    }

    [Fact]
    public async Task A_webhook_to_a_loopback_address_outside_the_allow_list_is_refused_with_a_400_naming_the_field()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.BaseUrl).Port;
        using var analyst = system.Client(system.Alerting, await system.IssueKeyAsync("analyst", "--countries", "CHL"));

        foreach (var url in new[]
                 {
                     $"http://127.0.0.2:{port}/ok/probe", $"http://127.1.2.3:{port}/ok/probe", $"http://[::1]:{port}/ok/probe",
                     $"http://[::ffff:127.0.0.2]:{port}/ok/probe", $"http://2130706434:{port}/ok/probe", $"https://127.0.0.2:{port}/ok/probe",
                 })
            await AssertRefusedNamingTheFieldAsync(analyst, url);

        // The allowed address itself is accepted, also in its IPv4-mapped form; nothing refused was stored.
        var allowed = await SubscribeAsync(analyst, "allowed receiver", receiver.Url("ok", "allowed"));
        await SubscribeAsync(analyst, "allowed receiver, mapped", $"http://[::ffff:127.0.0.1]:{port}/ok/allowed");
        var listed = await analyst.GetFromJsonAsync<JsonElement>("/api/subscriptions");
        Assert.Equal(2, listed.GetArrayLength());
        Assert.Contains(listed.EnumerateArray(), s => s.GetProperty("subscriptionId").GetGuid() == allowed);
        await UnsubscribeAllAsync(analyst);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_only_the_address_is_allowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.BaseUrl).Port;
        using var analyst = system.Client(system.Alerting, await system.IssueKeyAsync("analyst", "--countries", "CHL"));

        foreach (var url in new[]
                 {
                     $"http://localhost:{port}/ok/probe", $"http://LocalHost:{port}/ok/probe", $"http://localhost.:{port}/ok/probe",
                     $"http://hooks.localhost:{port}/ok/probe",
                 })
            await AssertRefusedNamingTheFieldAsync(analyst, url);
        Assert.Equal(0, (await analyst.GetFromJsonAsync<JsonElement>("/api/subscriptions")).GetArrayLength());
    }

    [Fact]
    public async Task A_delivery_to_a_loopback_name_stored_before_the_check_fails_at_once_as_destination_not_allowed_and_reaches_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.BaseUrl).Port;
        using var analyst = system.Client(system.Alerting, await system.IssueKeyAsync("analyst", "--countries", "CHL"));
        var control = await SubscribeAsync(analyst, "allowed receiver", receiver.Url("ok", "control"));
        var stale = await SubscribeAsync(analyst, "registered before the check", receiver.Url("ok", "stale"));

        // As a subscription stored before registration checked destinations: its URL names localhost (the receiver's own
        // address, so the request would arrive if it were sent). The outbox rows are written as the fan-out writes them.
        var staleUrl = $"http://localhost:{port}/ok/stale";
        await using (var update = system.Database.CreateCommand("UPDATE alerting.subscriptions SET webhook_url = @url WHERE subscription_id = @id"))
        {
            update.Parameters.AddWithValue("url", staleUrl);
            update.Parameters.AddWithValue("id", stale);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        var alertId = Guid.NewGuid();
        foreach (var (subscription, url) in new[] { (control, receiver.Url("ok", "control")), (stale, staleUrl) })
        {
            await using var insert = system.Database.CreateCommand(
                "INSERT INTO alerting.webhook_deliveries (delivery_id, subscription_id, alert_id, revision, url, body) VALUES (@id, @subscription, @alert, 1, @url, @body)");
            insert.Parameters.AddWithValue("id", Guid.NewGuid());
            insert.Parameters.AddWithValue("subscription", subscription);
            insert.Parameters.AddWithValue("alert", alertId);
            insert.Parameters.AddWithValue("url", url);
            insert.Parameters.AddWithValue("body", $$"""{"type":"alert.revision","alertId":"{{alertId}}","revision":1}""");
            await insert.ExecuteNonQueryAsync();
        }

        async Task<JsonElement> FinishedAsync(Guid subscription)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while (true)
            {
                var log = await analyst.GetFromJsonAsync<JsonElement>($"/api/subscriptions/{subscription}/deliveries");
                var entry = log.EnumerateArray().SingleOrDefault(e => e.GetProperty("channel").GetString() == "webhook" && e.GetProperty("alertId").GetGuid() == alertId);
                if (entry.ValueKind != JsonValueKind.Undefined && entry.GetProperty("state").GetString() != "pending") return entry;
                if (DateTime.UtcNow > deadline) Assert.Fail($"the delivery of {subscription} did not finish; last seen: {log}");
                await Task.Delay(200);
            }
        }

        var delivered = await FinishedAsync(control);
        Assert.Equal("delivered", delivered.GetProperty("state").GetString());
        Assert.Single(receiver.To("ok", "control"), r => r.Body.Contains(alertId.ToString()));

        // Refused when connecting: failed at the first attempt (it would be refused again), with the neutral reason only.
        var refused = await FinishedAsync(stale);
        Assert.Equal("failed", refused.GetProperty("state").GetString());
        Assert.Equal(1, refused.GetProperty("attempts").GetInt32());
        Assert.Equal("destination not allowed", refused.GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("lastStatus").ValueKind);
        var attempt = refused.GetProperty("attemptLog").EnumerateArray().Single();
        Assert.Equal("destination not allowed", attempt.GetProperty("error").GetString());
        Assert.Empty(receiver.To("ok", "stale"));
        // The operator's log says why; the analyst's never does.
        await system.Alerting.WaitForOutputAsync(line => line.Contains("refused: 'localhost' names the loopback interface"), TimeSpan.FromSeconds(10));
        await UnsubscribeAllAsync(analyst);
    }
}
