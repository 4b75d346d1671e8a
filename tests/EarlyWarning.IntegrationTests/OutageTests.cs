using System.Net;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class OutageTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private static readonly string[] Endpoints =
        ["anonymization-observations-submitted", "classification-observations-anonymized", "alerting-observations-harmonized"];

    [Fact]
    public async Task Stopping_PostgreSQL_for_60_s_with_batches_in_flight_pauses_the_consumers_and_nothing_lands_in_an_error_queue()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        const int submissions = 40, weeksEach = 40, batchSize = 5;
        // Released per week: two series totals and their three cells by sex.
        var expected = submissions * weeksEach * 5;
        var harmonizedHere = "SELECT count(*) FROM classification.harmonized_observations WHERE border_point = @p";
        var p = ("p", (object)("CHL-" + point.ToUpperInvariant().Replace(' ', '-')));
        var submissionIds = new List<string>();
        for (var i = 0; i < submissions; i++)
        {
            var response = await system.IngestionApi.PostAsync($"/api/submissions?country=CHL&batchSize={batchSize}",
                SyntheticSubmission.Content(SyntheticSubmission.Csv(point, weeksEach, firstWeek: i * weeksEach, start: new DateOnly(1960, 1, 4))));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var receipt = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            submissionIds.Add(receipt.RootElement.GetProperty("submissionId").GetString()!);
        }
        Assert.True(await system.WaitForCountAsync(harmonizedHere, 100, Patience, p) >= 100, "the stream never started");

        await LocalServers.StopPostgresAsync();
        try
        {
            // Long enough for every in-memory retry of the old policy (about 15 s) to run out several times.
            await Task.Delay(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var readiness = await http.GetAsync(new Uri(system.Classification.BaseAddress, "/health/ready"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        }
        finally
        {
            await LocalServers.StartPostgresAsync();
            system.Database.Clear();
        }
        var afterOutage = await system.ScalarAsync(harmonizedHere, p);
        Assert.True(afterOutage < expected, "the pipeline finished before PostgreSQL stopped; the test proves nothing");

        Assert.Equal(expected, await system.WaitForCountAsync(harmonizedHere, expected, Patience, p));
        Assert.Equal(expected, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.cells WHERE series_key LIKE '%' || @p || '%'", expected, Patience, p));
        // Whichever stages had work during the outage paused (with whole-submission releases, that may be Anonymization alone).
        Assert.Contains(new[] { system.Anonymization, system.Classification, system.Alerting }.SelectMany(s => s.Output),
            line => line.Contains("consumers pause until it answers again"));
        foreach (var endpoint in Endpoints)
        foreach (var queue in new[] { endpoint + "_error", endpoint + "_dead" })
        {
            var parked = await system.DrainQueueIfAnyAsync(queue);
            Assert.DoesNotContain(parked, m => submissionIds.Any(id => m.Body.Contains(id)));
        }
    }
}
