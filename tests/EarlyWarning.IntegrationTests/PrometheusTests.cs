using System.Diagnostics;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class PrometheusTests(SystemFixture system)
{
    private static readonly string Deploy = Path.Combine(TestEnvironment.RepositoryRoot, "deploy");

    [Fact]
    public async Task Every_alerting_rule_parses_and_fires_exactly_when_its_unit_tests_say()
    {
        var (check, checkOutput) = await RunAsync("promtool", "check", "rules", Path.Combine(Deploy, "prometheus", "rules.yml"));
        Assert.True(check == 0, checkOutput);
        Assert.Contains("SUCCESS: 6 rules found", checkOutput);
        var (test, testOutput) = await RunAsync("promtool", "test", "rules", Path.Combine(Deploy, "prometheus", "rules.test.yml"));
        Assert.True(test == 0, testOutput);
    }

    [Fact]
    public async Task Prometheus_with_the_local_runs_configuration_scrapes_every_service_and_the_brokers_queues()
    {
        var port = int.TryParse(Environment.GetEnvironmentVariable("EW_PROMETHEUS_PORT"), out var p) ? p : 9090;
        var dir = Directory.CreateTempSubdirectory("earlywarning-prometheus-").FullName;
        // The configuration run.sh writes (deploy/local/prometheus.sh), for the management ports of the services under test.
        var (configured, output) = await RunAsync("bash", "-c",
            $"source '{Deploy}/local/infra.sh' && source '{Deploy}/local/prometheus.sh' && ew_prometheus_config {system.Ingestion.ManagementAddress.Port} '{dir}'");
        Assert.True(configured == 0, output);

        using var prometheus = Process.Start(new ProcessStartInfo("prometheus",
            [$"--config.file={dir}/prometheus.yml", $"--storage.tsdb.path={dir}/data", $"--web.listen-address=127.0.0.1:{port}"])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            Dictionary<string, string> health = [], scraped = [];
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    using var targets = JsonDocument.Parse(await http.GetStringAsync("/api/v1/targets?state=active"));
                    var active = targets.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().ToList();
                    health = active.ToDictionary(t => t.GetProperty("labels").GetProperty("service").GetString()!, t => t.GetProperty("health").GetString()!);
                    scraped = active.ToDictionary(t => t.GetProperty("labels").GetProperty("service").GetString()!, t => t.GetProperty("scrapeUrl").GetString()!);
                    if (health.Count == 6 && health.Values.All(h => h == "up")) break;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                await Task.Delay(500);
            }
            Assert.Equal(["alerting", "anonymization", "classification", "ingestion", "prometheus", "rabbitmq"], health.Keys.Order());
            Assert.All(health, target => Assert.Equal("up", target.Value));
            // On each service's management port: its API port answers 404 for /metrics.
            foreach (var service in new[] { system.Ingestion, system.Anonymization, system.Classification, system.Alerting })
                Assert.Equal(new Uri(service.ManagementAddress, "/metrics"), new Uri(scraped[service.Name.ToLowerInvariant()]));

            // Our own gauges, one series per service, and the broker's per-queue depths.
            using var outbox = JsonDocument.Parse(await http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString("count by (service) (earlywarning_outbox_pending)")));
            Assert.Equal(4, outbox.RootElement.GetProperty("data").GetProperty("result").GetArrayLength());
            using var queues = JsonDocument.Parse(await http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(
                $"rabbitmq_detailed_queue_messages{{vhost=\"{TestEnvironment.VirtualHost}\",queue=\"classification-observations-anonymized\"}}")));
            Assert.Equal(1, queues.RootElement.GetProperty("data").GetProperty("result").GetArrayLength());
            using var rules = JsonDocument.Parse(await http.GetStringAsync("/api/v1/rules"));
            Assert.Equal(6, rules.RootElement.GetProperty("data").GetProperty("groups")[0].GetProperty("rules").GetArrayLength());
        }
        finally
        {
            prometheus.Kill();
            await prometheus.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
