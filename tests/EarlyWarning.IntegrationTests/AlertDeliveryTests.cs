using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.ServiceModel.Syndication;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// Alert delivery end to end: a surge published through the ingestion API reaches, as an Alert, an Update and its
/// closing, signed webhooks (one receiver failing five times first, one never answering), the subscriber's Atom
/// feed with valid CAP documents, and a bus subscriber bound to the topic exchange; an analyst of another country
/// receives nothing of it on any channel.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AlertDeliveryTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private const int Level = 40, SurgeStart = 96;
    private static readonly XNamespace Cap = "urn:oasis:names:tc:emergency:cap:1.2";

    /// <summary>Weekly Poisson counts around 40, three times that in the two surge weeks, split over sex (as AlertLifecycleTests plants a surge).</summary>
    private static string Csv(string point, int from, int to, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("period,border_point,nationality,category,sex,age_group,count\n");
        for (var w = 0; w < to; w++)
        {
            var mean = w is SurgeStart or SurgeStart + 1 ? 3 * Level : Level;
            long female = 0, male = 0;
            var limit = Math.Exp(-mean);
            long total = 0;
            for (var p = random.NextDouble(); p > limit; p *= random.NextDouble()) total++;
            for (var i = 0; i < total; i++) if (random.Next(2) == 0) female++; else male++;
            if (w < from) continue;
            var week = SyntheticSubmission.FirstWeek.AddDays(7 * w);
            csv.Append(CultureInfo.InvariantCulture, $"{week:yyyy-MM-dd},{point},venezolana,Ingreso por paso no habilitado,F,30-44,{female}\n");
            csv.Append(CultureInfo.InvariantCulture, $"{week:yyyy-MM-dd},{point},venezolana,Ingreso por paso no habilitado,M,30-44,{male}\n");
        }
        return csv.ToString();
    }

    private static async Task PostAsync(HttpClient publisher, string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/csv");
        var response = await publisher.PostAsync("/api/submissions?country=CHL", content);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static XmlSchemaSet CapSchema()
    {
        var set = new XmlSchemaSet();
        set.Add("urn:oasis:names:tc:emergency:cap:1.2", Path.Combine(AppContext.BaseDirectory, "standards", "CAP-v1.2.xsd"));
        return set;
    }

    /// <summary>Parses a CAP document as a receiver would, validating it against OASIS's schema; any error fails the test.</summary>
    private static XDocument ValidCap(string xml)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = CapSchema() };
        settings.ValidationEventHandler += (_, e) => errors.Add(e.Message);
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        var document = XDocument.Load(reader);
        Assert.True(errors.Count == 0, string.Join("; ", errors) + "\n" + xml);
        return document;
    }

    /// <summary>Checks the signature as a receiver does: HMAC-SHA256 of "t.body" with the secret, t within five minutes.</summary>
    private static bool SignatureValid(string secret, string? header, string body)
    {
        if (header is null) return false;
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var t = long.Parse(parts["t"], CultureInfo.InvariantCulture);
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t) > 300) return false;
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts["v1"]));
    }

    private static async Task<(Guid Id, string? Secret)> SubscribeAsync(HttpClient analyst, object body)
    {
        var response = await analyst.PostAsJsonAsync("/api/subscriptions", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var secret = created.GetProperty("webhookSecret");
        return (created.GetProperty("subscription").GetProperty("subscriptionId").GetGuid(), secret.ValueKind == JsonValueKind.Null ? null : secret.GetString());
    }

    /// <summary>A bus subscriber: a queue of its own bound to the topic exchange with one binding key, collecting the CAP documents.</summary>
    private sealed class BusSubscriber : IAsyncDisposable
    {
        private IConnection _connection = null!;
        public List<(string RoutingKey, string? MessageId, string Body)> Received { get; } = [];

        public static async Task<BusSubscriber> StartAsync(string user, string password, string bindingKey)
        {
            var subscriber = new BusSubscriber();
            var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = TestEnvironment.AmqpPort, VirtualHost = TestEnvironment.VirtualHost, UserName = user, Password = password };
            subscriber._connection = await factory.CreateConnectionAsync();
            var channel = await subscriber._connection.CreateChannelAsync();
            var queue = $"alert-subscriber-test-{Guid.NewGuid():N}";
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true);
            await channel.QueueBindAsync(queue, "earlywarning.alerts", bindingKey);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, d) =>
            {
                lock (subscriber.Received) subscriber.Received.Add((d.RoutingKey, d.BasicProperties.MessageId, Encoding.UTF8.GetString(d.Body.Span)));
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
            return subscriber;
        }

        public List<(string RoutingKey, string? MessageId, string Body)> Snapshot() { lock (Received) return [.. Received]; }

        public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
    }

    private static string Env(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run the tests with ./deploy/local/test.sh (deploy/local/infra.sh creates the bus subscribers' users)");

    private async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"{what} did not happen within {Patience}; last seen: {JsonSerializer.Serialize(value)}");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task A_surge_reaches_webhooks_the_subscribers_feed_and_the_bus_as_alert_update_and_closing_and_nothing_reaches_another_countrys_analyst()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var code = $"CHL-{point.ToUpperInvariant().Replace(' ', '-')}";
        var seriesKey = $"CHL|{code}|VEN|IRREGULAR_ENTRY";
        await using var receiver = await WebhookReceiver.StartAsync();
        using var chileAnalyst = system.Client(system.Alerting, await system.IssueKeyAsync("analyst", "--countries", "CHL"));
        using var peruAnalyst = system.Client(system.Alerting, await system.IssueKeyAsync("analyst", "--countries", "PER"));
        using var operatorApi = system.Client(system.Alerting, await system.IssueKeyAsync("operator"));

        // Subscriptions: three webhooks on the place's irregular entries (not the alerts of the place's total, a coarser level), within Chile's analyst's scope; Peru's analyst may not name Chile, and
        // subscribes to everything it may see.
        var filter = new { places = new[] { code }, categories = new[] { "IRREGULAR_ENTRY" }, minimumSeverity = "Minor" };
        var (ok, okSecret) = await SubscribeAsync(chileAnalyst, new { name = "Colchane-like crossing", filter.places, filter.categories, filter.minimumSeverity, webhookUrl = receiver.Url("ok", "chl") });
        var (flaky, _) = await SubscribeAsync(chileAnalyst, new { name = "flaky receiver", filter.places, filter.categories, webhookUrl = receiver.Url("flaky", "chl") });
        var (dead, _) = await SubscribeAsync(chileAnalyst, new { name = "dead receiver", filter.places, filter.categories, webhookUrl = receiver.Url("dead", "chl") });
        // A second Chilean analyst whose key is revoked once the alert reached it: nothing after that.
        var revokedKey = await system.IssueKeyAsync("analyst", "--countries", "CHL");
        using var revokedAnalyst = system.Client(system.Alerting, revokedKey);
        var (revoked, _) = await SubscribeAsync(revokedAnalyst, new { name = "revoked later", filter.places, filter.categories, webhookUrl = receiver.Url("ok", "revoked") });
        var refused = await peruAnalyst.PostAsJsonAsync("/api/subscriptions", new { name = "Chile", countries = new[] { "CHL" }, webhookUrl = receiver.Url("ok", "per") });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var (peru, _) = await SubscribeAsync(peruAnalyst, new { name = "everything Peru's analyst may see", webhookUrl = receiver.Url("ok", "per") });
        Assert.Equal(HttpStatusCode.BadRequest, (await chileAnalyst.PostAsJsonAsync("/api/subscriptions", new { name = "x", places = new[] { "NOWHERE" } })).StatusCode);

        // Bus subscribers: Chile's place with the all-countries user; Peru's user may bind Peru's keys only.
        await using var bus = await BusSubscriber.StartAsync(Env("EW_ALERT_SUBSCRIBER_USER"), Env("EW_ALERT_SUBSCRIBER_PASSWORD"), $"CHL.{code}.IRREGULAR_ENTRY.*");
        var denied = await Assert.ThrowsAnyAsync<Exception>(() => BusSubscriber.StartAsync(Env("EW_ALERT_SUBSCRIBER_PER_USER"), Env("EW_ALERT_SUBSCRIBER_PER_PASSWORD"), "CHL.#"));
        Assert.Contains("ACCESS_REFUSED", denied is OperationInterruptedException o ? o.ShutdownReason?.ReplyText ?? "" : denied.Message);
        await using var peruBus = await BusSubscriber.StartAsync(Env("EW_ALERT_SUBSCRIBER_PER_USER"), Env("EW_ALERT_SUBSCRIBER_PER_PASSWORD"), "PER.#");

        // Two years of history and a two-week surge, then the weeks after it until the alert closes.
        using var chile = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", "CHL"));
        await PostAsync(chile, Csv(point, 0, SurgeStart + 1, seed: 21));
        await EventuallyAsync(() => Task.FromResult(receiver.To("ok", "revoked").Count), n => n >= 1, "the alert's delivery to the analyst revoked later");
        var (revokeExit, _, revokeError) = await system.AdminAsync("keys", "revoke", revokedKey.Split('_')[1]);
        Assert.True(revokeExit == 0, revokeError);
        for (var w = SurgeStart + 1; w < SurgeStart + 4; w++)
        {
            await system.WaitForCountAsync("SELECT count(*) FROM alerting.judgements WHERE series_key = @key AND period = @week", 1, Patience,
                ("key", seriesKey), ("week", SyntheticSubmission.FirstWeek.AddDays(7 * (w - 1))));
            await PostAsync(chile, Csv(point, w, w + 1, seed: 21));
        }
        var alertId = await EventuallyAsync(async () =>
        {
            await using var cmd = system.Database.CreateCommand("SELECT alert_id FROM alerting.alerts WHERE series_key = @key AND state = 'closed'");
            cmd.Parameters.AddWithValue("key", seriesKey);
            return await cmd.ExecuteScalarAsync() as Guid?;
        }, id => id is not null, "the alert's closing");
        var revisions = (int)await system.ScalarAsync("SELECT count(*) FROM alerting.alert_revisions WHERE alert_id = @id", ("id", alertId!.Value));
        Assert.True(revisions >= 3, $"{revisions} revisions");

        // Webhooks: every revision once at the good receiver, signed, with its own idempotency id.
        var received = await EventuallyAsync(() => Task.FromResult(receiver.To("ok", "chl")), r => r.Count >= revisions, "the webhook deliveries");
        Assert.Equal(revisions, received.Count);
        Assert.All(received, r => Assert.True(SignatureValid(okSecret!, r.Signature, r.Body), $"bad signature {r.Signature}"));
        Assert.Equal(revisions, received.Select(r => r.DeliveryId).Distinct().Count());
        var bodies = received.Select(r => JsonDocument.Parse(r.Body).RootElement).OrderBy(b => b.GetProperty("revision").GetInt32()).ToList();
        Assert.Equal("Alert", bodies[0].GetProperty("msgType").GetString());
        Assert.All(bodies.Skip(1), b => Assert.Equal("Update", b.GetProperty("msgType").GetString()));
        Assert.Equal("closed", bodies[^1].GetProperty("state").GetString());
        Assert.All(bodies, b => Assert.Equal(alertId, b.GetProperty("alertId").GetGuid()));

        // The flaky receiver: five 503s, then the sixth attempt; exactly one success per idempotency id.
        var flakyLog = await EventuallyAsync(async () => await chileAnalyst.GetFromJsonAsync<JsonElement>($"/api/subscriptions/{flaky}/deliveries"),
            log => log.EnumerateArray().Count(e => e.GetProperty("channel").GetString() == "webhook" && e.GetProperty("state").GetString() == "delivered") == revisions,
            "the flaky receiver's deliveries");
        var flakyRequests = receiver.To("flaky", "chl");
        Assert.All(flakyRequests.GroupBy(r => r.DeliveryId), g => Assert.Equal(1, g.Count(r => r.Status == 200)));
        Assert.All(flakyRequests.GroupBy(r => r.DeliveryId), g => Assert.Equal(6, g.Count()));
        var firstFlaky = flakyLog.EnumerateArray().First(e => e.GetProperty("channel").GetString() == "webhook");
        Assert.Equal(6, firstFlaky.GetProperty("attempts").GetInt32());
        Assert.Equal([503, 503, 503, 503, 503, 200], firstFlaky.GetProperty("attemptLog").EnumerateArray().Select(a => a.GetProperty("status").GetInt32()));

        // The receiver that never answers: each delivery ends failed after its attempts, recorded; it held up no one.
        var deadLog = await EventuallyAsync(async () => await chileAnalyst.GetFromJsonAsync<JsonElement>($"/api/subscriptions/{dead}/deliveries"),
            log => log.EnumerateArray().Count(e => e.GetProperty("channel").GetString() == "webhook" && e.GetProperty("state").GetString() == "failed") == revisions,
            "the dead receiver's deliveries failing");
        var deadFirst = deadLog.EnumerateArray().Where(e => e.GetProperty("channel").GetString() == "webhook").OrderBy(e => e.GetProperty("revision").GetInt32()).First();
        Assert.Equal(8, deadFirst.GetProperty("attempts").GetInt32());
        Assert.Contains("no answer within 2 s", deadFirst.GetProperty("lastError").GetString());
        var okFirstArrival = received.Min(r => r.At);
        Assert.True(okFirstArrival < deadFirst.GetProperty("finishedAt").GetDateTimeOffset(), "the good receiver waited for the dead one");

        // The subscriber's Atom feed: one entry per revision, each linking a valid CAP document; an Update references the Alert.
        var feedResponse = await chileAnalyst.GetAsync($"/api/subscriptions/{ok}/feed");
        Assert.Equal(HttpStatusCode.OK, feedResponse.StatusCode);
        using var feedReader = XmlReader.Create(await feedResponse.Content.ReadAsStreamAsync());
        var feed = SyndicationFeed.Load(feedReader);
        Assert.Equal(revisions, feed.Items.Count());
        var caps = new List<XDocument>();
        foreach (var item in feed.Items)
        {
            var link = item.Links.Single(l => l.RelationshipType == "alternate" && l.MediaType == "application/cap+xml");
            caps.Add(ValidCap(await chileAnalyst.GetStringAsync(link.Uri.PathAndQuery)));
        }
        var alertCap = caps.Single(c => c.Root!.Element(Cap + "msgType")!.Value == "Alert");
        var alertIdentifier = alertCap.Root!.Element(Cap + "identifier")!.Value;
        Assert.All(caps.Where(c => c != alertCap), c => Assert.Contains(alertIdentifier, c.Root!.Element(Cap + "references")!.Value));
        Assert.Equal(["es", "pt", "en"], alertCap.Root!.Elements(Cap + "info").Select(i => i.Element(Cap + "language")!.Value));
        Assert.NotNull(alertCap.Descendants(Cap + "circle").FirstOrDefault());
        // Conditional GET: the same feed again is 304.
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/subscriptions/{ok}/feed");
        conditional.Headers.IfNoneMatch.Add(feedResponse.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await chileAnalyst.SendAsync(conditional)).StatusCode);

        // The bus: every revision, as a valid CAP document, with its routing key.
        var messages = await EventuallyAsync(() => Task.FromResult(bus.Snapshot()), m => m.Count >= revisions, "the bus messages");
        Assert.Equal(revisions, messages.Select(m => m.MessageId).Distinct().Count());
        Assert.All(messages, m => Assert.StartsWith($"CHL.{code}.IRREGULAR_ENTRY.", m.RoutingKey));
        Assert.All(messages, m => ValidCap(m.Body));

        // Who was told: the operator's log of the alert lists every channel (three webhooks per revision, and the Alert to the analyst revoked later).
        var log = await operatorApi.GetFromJsonAsync<JsonElement>($"/api/alerts/{alertId}/deliveries");
        Assert.Equal(revisions, log.GetProperty("topic").GetArrayLength());
        Assert.Equal(3 * revisions + 1, log.GetProperty("deliveries").EnumerateArray().Count(e => e.GetProperty("channel").GetString() == "webhook"));

        // The revoked analyst's subscription: the Alert only, then suspended with the reason.
        Assert.Single(receiver.To("ok", "revoked"));
        var suspended = await operatorApi.GetFromJsonAsync<JsonElement>($"/api/subscriptions/{revoked}");
        Assert.Equal("suspended", suspended.GetProperty("state").GetString());
        Assert.Contains("revoked", suspended.GetProperty("stateReason").GetString());

        // Peru's analyst: nothing of Chile's alert on any channel.
        Assert.DoesNotContain(receiver.To("ok", "per"), r => r.Body.Contains(alertId.Value.ToString()));
        using var peruFeedReader = XmlReader.Create(await peruAnalyst.GetStreamAsync($"/api/subscriptions/{peru}/feed"));
        Assert.DoesNotContain(SyndicationFeed.Load(peruFeedReader).Items, i => i.Id.Contains(alertId.Value.ToString()));
        using var peruAllReader = XmlReader.Create(await peruAnalyst.GetStreamAsync("/api/feeds/alerts"));
        Assert.DoesNotContain(SyndicationFeed.Load(peruAllReader).Items, i => i.Id.Contains(alertId.Value.ToString()));
        Assert.Equal(HttpStatusCode.NotFound, (await peruAnalyst.GetAsync($"/api/alerts/{alertId}/revisions/1/cap")).StatusCode);
        Assert.DoesNotContain(peruBus.Snapshot(), m => m.RoutingKey.StartsWith("CHL.", StringComparison.Ordinal));
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM alerting.webhook_deliveries WHERE subscription_id = @s", ("s", peru)));
    }

    [Fact]
    public async Task A_token_owned_subscription_lapses_when_its_owner_has_not_shown_its_scope_for_too_long_and_resumes_when_it_does()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var code = $"CHL-{point.ToUpperInvariant().Replace(' ', '-')}";
        using var analyst = system.Client(system.Alerting, apiKey: null);
        var subject = "lapse-" + Guid.NewGuid().ToString("N")[..8];
        analyst.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            system.Jwt(new Dictionary<string, object> { ["role"] = "analyst", ["countries"] = "CHL", ["sub"] = subject }));
        var (subscription, _) = await SubscribeAsync(analyst, new { name = "a token's", places = new[] { code } });
        // Its owner last showed its scope 40 days ago (the default lifetime is 30).
        await system.ScalarAsync("UPDATE alerting.subscriptions SET scope_seen_at = now() - interval '40 days' WHERE subscription_id = @id RETURNING 1",
            ("id", subscription));

        using var chile = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", "CHL"));
        await PostAsync(chile, Csv(point, 0, SurgeStart + 1, seed: 37));
        const string state = "SELECT count(*) FROM alerting.subscriptions WHERE subscription_id = @id AND state = @state";
        Assert.Equal(1, await system.WaitForCountAsync(state, 1, Patience, ("id", subscription), ("state", "suspended")));
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM alerting.feed_entries WHERE subscription_id = @id", ("id", subscription)));

        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/subscriptions")).StatusCode);
        Assert.Equal(1, await system.ScalarAsync(state, ("id", subscription), ("state", "active")));
    }

    [Fact]
    public async Task A_withdrawn_alert_is_delivered_as_a_CAP_Cancel_that_references_its_last_revision()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var code = $"CHL-{point.ToUpperInvariant().Replace(' ', '-')}";
        var seriesKey = $"CHL|{code}|VEN|IRREGULAR_ENTRY";
        await using var receiver = await WebhookReceiver.StartAsync();
        using var analyst = system.Client(system.Alerting, await system.IssueKeyAsync("analyst", "--countries", "CHL"));
        var (subscription, secret) = await SubscribeAsync(analyst, new { name = "withdrawals", places = new[] { code }, categories = new[] { "IRREGULAR_ENTRY" }, webhookUrl = receiver.Url("ok", "cancel") });
        await using var bus = await BusSubscriber.StartAsync(Env("EW_ALERT_SUBSCRIBER_USER"), Env("EW_ALERT_SUBSCRIBER_PASSWORD"), $"CHL.{code}.IRREGULAR_ENTRY.*");

        // The surge week, then the same week republished at the usual level: the alert is withdrawn.
        using var chile = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", "CHL"));
        await PostAsync(chile, Csv(point, 0, SurgeStart + 1, seed: 31));
        await EventuallyAsync(() => Task.FromResult(receiver.To("ok", "cancel").Count), n => n >= 1, "the alert's delivery");
        var usual = new StringBuilder("period,border_point,nationality,category,sex,age_group,count\n");
        var week = SyntheticSubmission.FirstWeek.AddDays(7 * SurgeStart);
        usual.Append(CultureInfo.InvariantCulture, $"{week:yyyy-MM-dd},{point},venezolana,Ingreso por paso no habilitado,F,30-44,{Level / 2}\n");
        usual.Append(CultureInfo.InvariantCulture, $"{week:yyyy-MM-dd},{point},venezolana,Ingreso por paso no habilitado,M,30-44,{Level / 2}\n");
        await PostAsync(chile, usual.ToString());

        var received = await EventuallyAsync(() => Task.FromResult(receiver.To("ok", "cancel")),
            r => r.Any(x => JsonDocument.Parse(x.Body).RootElement.GetProperty("msgType").GetString() == "Cancel"), "the Cancel's delivery");
        Assert.All(received, r => Assert.True(SignatureValid(secret!, r.Signature, r.Body)));
        // At rest the secret is sealed (AES-GCM under Delivery:Webhooks:SecretKey): a copy of the database cannot sign.
        var stored = (string)(await system.ScalarObjectAsync("SELECT webhook_secret FROM alerting.subscriptions WHERE subscription_id = @id", ("id", subscription)))!;
        Assert.StartsWith("v1:", stored);
        Assert.DoesNotContain(secret!, stored);
        var cancel = JsonDocument.Parse(received.Single(x => JsonDocument.Parse(x.Body).RootElement.GetProperty("msgType").GetString() == "Cancel").Body).RootElement;
        Assert.Equal("withdrawn", cancel.GetProperty("state").GetString());
        var alertId = cancel.GetProperty("alertId").GetGuid();
        var revision = cancel.GetProperty("revision").GetInt32();

        // Its CAP document, at its stable address: a valid Cancel whose references end with the revision before it.
        var document = ValidCap(await analyst.GetStringAsync($"/api/alerts/{alertId}/revisions/{revision}/cap"));
        Assert.Equal("Cancel", document.Root!.Element(Cap + "msgType")!.Value);
        var previous = ValidCap(await analyst.GetStringAsync($"/api/alerts/{alertId}/revisions/{revision - 1}/cap"));
        var references = document.Root!.Element(Cap + "references")!.Value.Split(' ');
        Assert.Equal(string.Join(',', previous.Root!.Element(Cap + "sender")!.Value, previous.Root!.Element(Cap + "identifier")!.Value,
            previous.Root!.Element(Cap + "sent")!.Value), references[^1]);
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync($"/api/alerts/{alertId}/revisions/{revision}/cap?lang=fr")).StatusCode);
        var spanish = ValidCap(await analyst.GetStringAsync($"/api/alerts/{alertId}/revisions/{revision}/cap?lang=es"));
        Assert.Equal("es", spanish.Root!.Elements(Cap + "info").Single().Element(Cap + "language")!.Value);

        // The bus subscriber got the Cancel too; the feed carries one entry per revision.
        var messages = await EventuallyAsync(() => Task.FromResult(bus.Snapshot()), m => m.Any(x => x.Body.Contains("<msgType>Cancel</msgType>")), "the Cancel on the bus");
        Assert.All(messages, m => ValidCap(m.Body));
        using var feedReader = XmlReader.Create(await analyst.GetStreamAsync($"/api/subscriptions/{subscription}/feed"));
        Assert.Equal(revision, SyndicationFeed.Load(feedReader).Items.Count(i => i.Id.Contains(alertId.ToString())));
        Assert.Equal(revision, await system.ScalarAsync("SELECT count(*) FROM alerting.alert_revisions WHERE alert_id = @id", ("id", alertId)));
    }
}
