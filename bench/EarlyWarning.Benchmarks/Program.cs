using System.Globalization;
using EarlyWarning.Benchmarks;
using Npgsql;

// End-to-end benchmark of the running system (deploy/local/bench.sh starts it and runs this).
// Prints observations/s, ingestion-to-harmonized-storage latency percentiles and the services' peak memory,
// for batches of 1,000 observations and, as the baseline, one message per observation, in the same run.
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => args.ElementAtOrDefault(p.i + 1) ?? "");
int Option(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

var observations = Option("observations", 200_000);
var baselineObservations = Option("baseline-observations", 5_000);
var batchSize = Option("batch-size", 1_000);
var ingestionUrl = options.GetValueOrDefault("ingestion", "http://127.0.0.1:5101");
var connection = options.GetValueOrDefault("database") ?? Environment.GetEnvironmentVariable("Database__ConnectionString")
    ?? throw new InvalidOperationException("--database or Database__ConnectionString is required");

using var http = new HttpClient { BaseAddress = new Uri(ingestionUrl), Timeout = TimeSpan.FromMinutes(5) };
// A CHL publisher's key (bench.sh issues one with earlywarning-admin).
if (Environment.GetEnvironmentVariable("EW_API_KEY") is { Length: > 0 } apiKey) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
await using var db = NpgsqlDataSource.Create(connection);
var run = new PipelineRun(http, db);

Console.WriteLine($"EarlyWarning end-to-end benchmark: {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine("Warm-up (JIT, connection pools): 2,000 observations");
await run.RunAsync("warm-up", 2_000, batchSize, CancellationToken.None);

var batched = await run.RunAsync($"batched ({batchSize:N0} per message)", observations, batchSize, CancellationToken.None);
var baseline = await run.RunAsync("baseline (1 per message)", baselineObservations, 1, CancellationToken.None);

Console.WriteLine();
Console.WriteLine($"{"run",-28} {"observations",12} {"messages/hop",12} {"obs/s harmonized",17} {"obs/s end to end",17} {"p50 ms",9} {"p99 ms",9} {"max ms",9}");
foreach (var f in new[] { batched, baseline })
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{f.Name,-28} {f.Observations,12:N0} {f.Messages,12:N0} {f.HarmonizedPerSecond,17:N0} {f.EndToEndPerSecond,17:N0} {f.LatencyP50Ms,9:N0} {f.LatencyP99Ms,9:N0} {f.LatencyMaxMs,9:N0}"));
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Batched / baseline throughput (end to end): {batched.EndToEndPerSecond / baseline.EndToEndPerSecond:N1}x"));
Console.WriteLine("Latency: from the moment Ingestion accepted the submission to the harmonized row's commit in PostgreSQL.");
Console.WriteLine("Peak resident memory of the services (VmHWM):");
foreach (var (service, kib) in ServiceMemory.Peaks().OrderBy(p => p.Service))
    Console.WriteLine($"  {service,-16} {kib / 1024.0,8:N0} MiB");
