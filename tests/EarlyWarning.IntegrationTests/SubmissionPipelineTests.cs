using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class SubmissionPipelineTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_submission_published_through_the_ingestion_api_is_harmonized_in_postgres_and_its_surge_raises_an_alert()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var csv = SyntheticSubmission.Csv(point, weeks: 12, surges: new Dictionary<int, int> { [11] = 160 });

        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(csv));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        var submissionId = receipt.GetProperty("submissionId").GetGuid();
        Assert.Equal(36, receipt.GetProperty("observations").GetInt32());

        // The agreement publishes whole tables: per week, the series total and its breakdown by sex for the
        // Venezuelan entries (3 cells), and the same for the Haitian refusals (2 cells; no breakdown by age was submitted).
        var stored = await system.WaitForCountAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", 60, Patience, ("id", submissionId));
        Assert.Equal(60, stored);

        var borderPoint = "CHL-" + point.ToUpperInvariant().Replace(' ', '-');
        Assert.Equal(36, await system.ScalarAsync(
            """
            SELECT count(*) FROM classification.harmonized_observations
            WHERE submission_id = @id AND border_point = @point AND nationality = 'VEN' AND category = 'IRREGULAR_ENTRY' AND count IS NOT NULL
            """, ("id", submissionId), ("point", borderPoint)));
        // The Haitian refusals (2 a week) are below the agreement's threshold of 5: kept as cells, without counts.
        Assert.Equal(24, await system.ScalarAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id AND nationality = 'HTI' AND category = 'REFUSAL_OF_ENTRY' AND count IS NULL",
            ("id", submissionId)));
        // One trace, from the HTTP request through every service.
        var traceId = receipt.GetProperty("traceId").GetString()!;
        Assert.Equal(60, await system.ScalarAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id AND trace_id = @trace", ("id", submissionId), ("trace", traceId)));

        var seriesKey = $"CHL|{borderPoint}|VEN|IRREGULAR_ENTRY";
        Assert.Equal(1, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND period = '2024-03-18' AND observed = 320 AND trace_id = @trace",
            1, Patience, ("key", seriesKey), ("trace", traceId)));
        var deadline = DateTime.UtcNow + Patience;
        while (!system.SurgesHeard.Any(s => s.SeriesKey == seriesKey) && DateTime.UtcNow < deadline) await Task.Delay(100);
        var surge = Assert.Single(system.SurgesHeard, s => s.SeriesKey == seriesKey);
        Assert.Equal(new DateOnly(2024, 3, 18), surge.Period);
        Assert.Equal(320, surge.Observed);
        Assert.True(surge.UpperBound < 320 && surge.Expected is > 70 and < 90, $"expected ≈ 80 and a bound below 320, got {surge.Expected} and {surge.UpperBound}");
        // Personal fields never reached the harmonized store, and Anonymization's audit says what it removed and applied.
        // Read by the publishing authority itself (Chile's publisher key).
        using var anonymization = system.Client(system.Anonymization, await system.IssueKeyAsync("publisher", "--country", "CHL"));
        var audit = await anonymization.GetFromJsonAsync<JsonElement>($"/api/submissions/{submissionId}/audit");
        Assert.Equal(("AGR-CHL", 2), (audit.GetProperty("agreementId").GetString(), audit.GetProperty("agreementVersion").GetInt32()));
        Assert.Equal(24, audit.GetProperty("personalFieldsRemoved").GetInt32());
        Assert.Equal(24, audit.GetProperty("distinctPersons").GetInt32());
        Assert.Equal((36, 60, 24, 0), (audit.GetProperty("sourceCells").GetInt32(), audit.GetProperty("released").GetInt32(),
            audit.GetProperty("primarySuppressed").GetInt32(), audit.GetProperty("secondarySuppressed").GetInt32()));
    }

    [Fact]
    public async Task A_submission_with_bad_rows_is_rejected_with_every_error_by_line_and_field_and_nothing_is_stored()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var csv = $"""
            period,border_point,nationality,category,sex,count
            2024-01-01,{point},venezolana,Ingreso regular,F,12
            2024-13-01,{point},venezolana,Ingreso regular,F,12
            2024-01-08,{point},,Ingreso regular,X,-3
            """;

        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(csv));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.Equal([(3, "period"), (4, "nationality"), (4, "sex"), (4, "count")], errors);
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM ingestion.observations WHERE border_point = @p", ("p", point)));
    }
}
