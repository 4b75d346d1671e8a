using System.Net;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// /metrics counts observations and alerts by reporting country, which an analyst's scope may hide: it is served on
/// each service's management port (loopback) alone, and the API port answers 404 for it (security audit, finding 5).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ManagementPortTests(SystemFixture system)
{
    private IEnumerable<ServiceProcess> Services => [system.Ingestion, system.Anonymization, system.Classification, system.Alerting];

    [Fact]
    public async Task Metrics_are_404_on_every_api_port_and_the_prometheus_text_with_per_country_series_on_the_management_port()
    {
        // A submission of CHL's, so that Ingestion has counted observations by country.
        var submitted = await system.IngestionApi.PostAsync("/api/submissions?country=CHL",
            SyntheticSubmission.Content(SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 2)));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);

        foreach (var service in Services)
        {
            using var api = new HttpClient { BaseAddress = service.BaseAddress };
            var onApi = await api.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.NotFound, onApi.StatusCode);
            Assert.DoesNotContain("country=", await onApi.Content.ReadAsStringAsync());

            using var management = new HttpClient { BaseAddress = service.ManagementAddress };
            var onManagement = await management.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, onManagement.StatusCode);
            Assert.Equal("text/plain", onManagement.Content.Headers.ContentType?.MediaType);
            var text = await onManagement.Content.ReadAsStringAsync();
            Assert.Contains("# TYPE earlywarning_outbox_pending gauge", text);
            if (service == system.Ingestion)
                Assert.Contains(text.Split('\n'), line => line.StartsWith("earlywarning_pipeline_observations_total{", StringComparison.Ordinal)
                    && line.Contains("country=\"CHL\"") && line.Contains("stage=\"accepted\""));
        }
    }

    [Fact]
    public async Task A_host_header_naming_the_management_port_does_not_open_metrics_on_the_api_port()
    {
        // The caller writes the Host header; only the port the connection came in on counts.
        using var api = new HttpClient { BaseAddress = system.Alerting.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = $"127.0.0.1:{system.Alerting.ManagementAddress.Port}";

        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task The_api_port_says_only_up_or_down_and_the_management_port_gives_the_health_report()
    {
        foreach (var service in Services)
        {
            using var api = new HttpClient { BaseAddress = service.BaseAddress };
            var ready = await api.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/health/live")).StatusCode);

            using var management = new HttpClient { BaseAddress = service.ManagementAddress };
            var report = JsonDocument.Parse(await management.GetStringAsync("/health/ready")).RootElement;
            Assert.Equal("Healthy", report.GetProperty("status").GetString());
            Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/health/live")).StatusCode);
        }
    }

    [Fact]
    public async Task The_management_port_serves_no_api_not_even_to_answer_401()
    {
        using var management = new HttpClient { BaseAddress = system.Alerting.ManagementAddress };

        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("/api/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("/api/operator/failed-messages")).StatusCode);
    }

    [Fact]
    public async Task A_service_without_a_management_port_stops_at_start_naming_the_setting()
    {
        await using var unset = new ServiceProcess("Ingestion", TestEnvironment.ServicePortBase + 100);
        foreach (var (key, value) in system.Ingestion.Environment) unset.Environment[key] = value;
        unset.Environment["Management__Port"] = "0";

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(unset.StartAsync);

        Assert.Contains("exited with", failure.Message);
        await unset.WaitForOutputAsync(line => line.Contains("Management:Port must be set"), TimeSpan.FromSeconds(10));
    }
}
