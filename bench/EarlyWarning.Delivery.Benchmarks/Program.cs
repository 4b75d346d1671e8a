using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

// Alert delivery benchmark of the running system (deploy/local/bench-delivery.sh starts it and runs this):
// 1. webhook deliveries per second to a local receiver: surges at many border points at once, each alert delivered
//    to every subscription's webhook;
// 2. the time from a surge's acceptance by the ingestion API to its webhook's arrival, one surge at a time (p50/p99).
// Every request the receiver gets is checked: HMAC-SHA256 signature over "t.body" with the subscription's secret.
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => args.ElementAtOrDefault(p.i + 1) ?? "");
int Option(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var points = Option("points", 200);
var subscriptionCount = Option("subscriptions", 25);
var samples = Option("latency-samples", 40);
var receiverPort = Option("receiver-port", 5480);
var ingestionUrl = options.GetValueOrDefault("ingestion", "http://127.0.0.1:5101");
var alertingUrl = options.GetValueOrDefault("alerting", "http://127.0.0.1:5104");
string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is required (bench-delivery.sh sets it)");

using var ingestion = new HttpClient { BaseAddress = new Uri(ingestionUrl), Timeout = TimeSpan.FromMinutes(5) };
ingestion.DefaultRequestHeaders.Add("X-Api-Key", Env("EW_PUBLISHER_KEY"));
using var alerting = new HttpClient { BaseAddress = new Uri(alertingUrl), Timeout = TimeSpan.FromMinutes(1) };
alerting.DefaultRequestHeaders.Add("X-Api-Key", Env("EW_ANALYST_KEY"));

// The receiver: 127.0.0.1 only, answers 200 at once; records arrival time, idempotency id and whether the signature holds.
var arrivals = new ConcurrentQueue<(DateTimeOffset At, string Path, string BorderPoint, string DeliveryId, bool Valid)>();
var secrets = new ConcurrentDictionary<string, string>();
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{receiverPort}");
var app = builder.Build();
app.MapPost("/hooks/{name}", async (HttpContext http, string name) =>
{
    var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
    var at = DateTimeOffset.UtcNow;
    var signature = http.Request.Headers["EarlyWarning-Signature"].ToString();
    var valid = secrets.TryGetValue(name, out var secret) && Verify(secret, signature, body);
    var point = JsonDocument.Parse(body).RootElement.GetProperty("borderPoint").GetString()!;
    arrivals.Enqueue((at, name, point, http.Request.Headers["EarlyWarning-Delivery"].ToString(), valid));
    return Results.Ok();
});
await app.StartAsync();

var tag = "DB" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
Console.WriteLine($"EarlyWarning alert delivery benchmark: {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, receiver http://127.0.0.1:{receiverPort}");

// 1. Throughput: N subscriptions (every alert of the analyst's scope, CHL), then one submission with a surge at each of P border points.
for (var s = 0; s < subscriptionCount; s++) await SubscribeAsync($"t{s}", null);
var clock = Stopwatch.StartNew();
await PostAsync(Csv(Enumerable.Range(0, points).Select(p => $"{tag} T{p:D4}")));
var expected = points * subscriptionCount;
var deadline = DateTime.UtcNow.AddMinutes(15);
while (arrivals.Count(a => a.Path.StartsWith('t')) < expected && DateTime.UtcNow < deadline) await Task.Delay(200);
var burst = arrivals.Where(a => a.Path.StartsWith('t')).ToList();
if (burst.Count < expected) Console.WriteLine($"  only {burst.Count:N0} of {expected:N0} deliveries arrived within 15 minutes");
var first = burst.Min(a => a.At);
var last = burst.Max(a => a.At);
Console.WriteLine();
Console.WriteLine($"Webhook throughput: {points:N0} surges x {subscriptionCount} subscriptions = {expected:N0} deliveries expected, {burst.Count:N0} arrived, " +
                  $"{burst.Select(a => a.DeliveryId).Distinct().Count():N0} distinct idempotency ids, {burst.Count(a => !a.Valid)} bad signatures");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  first to last arrival {(last - first).TotalSeconds:N1} s: {burst.Count / Math.Max((last - first).TotalSeconds, 0.001):N0} deliveries/s (submission to last arrival {clock.Elapsed.TotalSeconds:N1} s)"));

// 2. Latency: one surge at a time, each at a new border point, from the ingestion API's 202 to the webhook's arrival.
await SubscribeAsync("latency", null);
var latencies = new List<double>();
for (var i = 0; i < samples; i++)
{
    var point = $"{tag} L{i:D4}";
    var accepted = await PostAsync(Csv([point]));
    var code = "CHL-" + point.ToUpperInvariant().Replace(' ', '-');
    var until = DateTime.UtcNow.AddMinutes(2);
    (DateTimeOffset At, string Path, string BorderPoint, string DeliveryId, bool Valid)? hit = null;
    while (hit is null && DateTime.UtcNow < until)
    {
        hit = arrivals.Where(a => a.Path == "latency" && a.BorderPoint == code).Select(a => ((DateTimeOffset, string, string, string, bool)?)a).FirstOrDefault();
        if (hit is null) await Task.Delay(5);
    }
    if (hit is null) { Console.WriteLine($"  sample {i}: no webhook within 2 minutes"); continue; }
    latencies.Add((hit.Value.At - accepted).TotalMilliseconds);
}
latencies.Sort();
double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(p * latencies.Count) - 1)];
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Surge ingestion to webhook arrival, {latencies.Count} surges one at a time: p50 {Percentile(0.5):N0} ms, p99 {Percentile(0.99):N0} ms, max {(latencies.Count > 0 ? latencies[^1] : double.NaN):N0} ms"));
Console.WriteLine("  (from the ingestion API's 202 to the receiver's arrival: anonymization, classification, detection, the alert's commit, fan-out and the signed POST)");
await app.StopAsync();
return 0;

// Ten weeks at about 20 a week, then 200 in the eleventh: EARS C2's history is enough and the surge is far above its bound.
static string Csv(IEnumerable<string> borderPoints)
{
    int[] history = [20, 22, 18, 21, 19, 20, 23, 17, 20, 21, 200];
    var csv = new StringBuilder("period,border_point,nationality,category,sex,age_group,count\n");
    var start = new DateOnly(2023, 1, 2);
    foreach (var point in borderPoints)
        for (var w = 0; w < history.Length; w++)
        {
            var week = start.AddDays(7 * w).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{week},{point},venezolana,Ingreso por paso no habilitado,F,30-44,{history[w] / 2}\n");
            csv.Append(CultureInfo.InvariantCulture, $"{week},{point},venezolana,Ingreso por paso no habilitado,M,30-44,{history[w] - history[w] / 2}\n");
        }
    return csv.ToString();
}

async Task<DateTimeOffset> PostAsync(string csv)
{
    using var response = await ingestion.PostAsync("/api/submissions?country=CHL", new StringContent(csv, Encoding.UTF8, "text/csv"));
    var accepted = DateTimeOffset.UtcNow;
    if (response.StatusCode != HttpStatusCode.Accepted)
        throw new InvalidOperationException($"ingestion answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    return accepted;
}

async Task SubscribeAsync(string name, string[]? places)
{
    using var response = await alerting.PostAsJsonAsync("/api/subscriptions",
        new { name = $"benchmark {name}", places, categories = new[] { "IRREGULAR_ENTRY" }, webhookUrl = $"http://127.0.0.1:{receiverPort}/hooks/{name}" });
    if (response.StatusCode != HttpStatusCode.Created)
        throw new InvalidOperationException($"subscribing answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    var created = await response.Content.ReadFromJsonAsync<JsonElement>();
    secrets[name] = created.GetProperty("webhookSecret").GetString()!;
}

static bool Verify(string secret, string header, string body)
{
    var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
    if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)) return false;
    if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(t, CultureInfo.InvariantCulture)) > 300) return false;
    var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
    return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(v1));
}
