using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EarlyWarning.Contracts;

namespace EarlyWarning.IntegrationTests;

/// <summary>Cell identities and versions end to end: merges, deletes, late older versions, alerts withdrawn.</summary>
[Collection(SystemCollection.Name)]
public sealed class RevisionTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string Dataflow = "dataflow,RCM_SACM:DF_MIGRATION_FLOWS(1.0)";
    private const string SdmxHeader = "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,TIME_PERIOD,BORDER_POINT,NATIONALITY,CATEGORY,SEX,AGE,OBS_VALUE,OBS_STATUS,CONF_STATUS";

    private async Task<Guid> PostAsync(string body, string contentType, string query = "", HttpClient? client = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await (client ?? system.IngestionApi).PostAsync($"/api/submissions{query}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();
    }

    private Task<long> AlertsAsync(string seriesKey, DateOnly period, bool withdrawn, long expected = 1) =>
        system.WaitForCountAsync(
            $"SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND period = @period AND withdrawn_at IS {(withdrawn ? "NOT " : "")}NULL",
            expected, Patience, ("key", seriesKey), ("period", period));

    private static string Week(int index) =>
        SyntheticSubmission.FirstWeek.AddDays(7 * index) is var monday
            ? $"{ISOWeek.GetYear(monday.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)):D2}"
            : "";

    [Fact]
    public async Task An_sdmx_delete_of_the_surge_week_withdraws_its_alert_with_the_reason()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var rows = Enumerable.Range(0, 12).Select(w =>
            $"{Dataflow},M,COL,W,{Week(w)},{point},VEN,Ingreso irregular,_T,_T,{(w == 11 ? 320 : 80 + w % 3 * 4 - 4)},A,F");
        using var colombia = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", "COL"));
        await PostAsync($"{SdmxHeader}\n{string.Join('\n', rows)}\n", "application/vnd.sdmx.data+csv", client: colombia);
        var seriesKey = $"COL|COL-{point.ToUpperInvariant().Replace(' ', '-')}|VEN|IRREGULAR_ENTRY";
        var surgeWeek = SyntheticSubmission.FirstWeek.AddDays(7 * 11);
        Assert.Equal(1, await AlertsAsync(seriesKey, surgeWeek, withdrawn: false));

        await PostAsync($"{SdmxHeader}\n{Dataflow},D,COL,W,{Week(11)},{point},VEN,Ingreso irregular,_T,_T,NaN,,\n", "application/vnd.sdmx.data+csv", client: colombia);

        Assert.Equal(1, await AlertsAsync(seriesKey, surgeWeek, withdrawn: true));
        Assert.Equal(1, await system.ScalarAsync(
            "SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND withdrawn_reason LIKE '%deleted%'", ("key", seriesKey)));
        Assert.Equal(1, await system.ScalarAsync(
            "SELECT count(*) FROM alerting.cells WHERE series_key = @key AND period = @period AND deleted", ("key", seriesKey), ("period", surgeWeek)));
    }

    [Fact]
    public async Task An_sdmx_replace_of_a_cell_sets_its_value_in_the_harmonized_series_and_a_merge_of_another_week_adds_to_it()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        using var colombia = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", "COL"));
        var seriesKey = $"COL|COL-{point.ToUpperInvariant().Replace(' ', '-')}|VEN|IRREGULAR_ENTRY";
        var week = SyntheticSubmission.FirstWeek;
        const string Current = "SELECT coalesce(sum(count), 0) FROM alerting.cells WHERE series_key = @key AND period = @period AND sex = '_T' AND age_group = '_T' AND NOT deleted";

        await PostAsync($"{SdmxHeader}\n{Dataflow},M,COL,W,{Week(0)},{point},VEN,Ingreso irregular,_T,_T,80,A,F\n", "application/vnd.sdmx.data+csv", client: colombia);
        Assert.Equal(80, await system.WaitForCountAsync(Current, 80, Patience, ("key", seriesKey), ("period", week)));

        await PostAsync($"{SdmxHeader}\n{Dataflow},R,COL,W,{Week(0)},{point},VEN,Ingreso irregular,_T,_T,95,E,F\n" +
                        $"{Dataflow},M,COL,W,{Week(1)},{point},VEN,Ingreso irregular,_T,_T,70,A,F\n", "application/vnd.sdmx.data+csv", client: colombia);

        Assert.Equal(95, await system.WaitForCountAsync(Current, 95, Patience, ("key", seriesKey), ("period", week)));
        Assert.Equal(70, await system.WaitForCountAsync(Current, 70, Patience, ("key", seriesKey), ("period", week.AddDays(7))));
        Assert.Equal(1, await system.ScalarAsync(
            "SELECT count(*) FROM alerting.cells WHERE series_key = @key AND period = @period AND sex = '_T' AND age_group = '_T'", ("key", seriesKey), ("period", week)));
    }

    [Fact]
    public async Task A_republished_lower_count_rejudges_the_week_and_withdraws_the_alert_and_a_raised_count_raises_it_again()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        await PostAsync(SyntheticSubmission.Csv(point, weeks: 12, surges: new Dictionary<int, int> { [11] = 160 }), "text/csv", "?country=CHL");
        var seriesKey = $"CHL|CHL-{point.ToUpperInvariant().Replace(' ', '-')}|VEN|IRREGULAR_ENTRY";
        var surgeWeek = SyntheticSubmission.FirstWeek.AddDays(7 * 11);
        Assert.Equal(1, await AlertsAsync(seriesKey, surgeWeek, withdrawn: false));

        var period = surgeWeek.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await PostAsync($"period,border_point,nationality,category,sex,count\n{period},{point},venezolana,Ingreso por paso no habilitado,F,41\n" +
                        $"{period},{point},venezolana,Ingreso por paso no habilitado,M,39\n", "text/csv", "?country=CHL");

        Assert.Equal(1, await AlertsAsync(seriesKey, surgeWeek, withdrawn: true));
        Assert.Equal(1, await system.ScalarAsync(
            "SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND withdrawn_reason LIKE '%no longer exceeds%'", ("key", seriesKey)));

        await PostAsync($"period,border_point,nationality,category,sex,count\n{period},{point},venezolana,Ingreso por paso no habilitado,F,170\n", "text/csv", "?country=CHL");
        Assert.Equal(1, await AlertsAsync(seriesKey, surgeWeek, withdrawn: false));
    }

    [Fact]
    public async Task An_older_version_delivered_after_a_newer_one_changes_nothing()
    {
        var point = "CHL-" + SyntheticSubmission.NewBorderPoint().ToUpperInvariant().Replace(' ', '-');
        var cell = Guid.NewGuid();
        ObservationsHarmonized Batch(long version, long count) => new(Guid.NewGuid(), "CHL", 1, 1, DateTimeOffset.UtcNow,
            [new HarmonizedObservation(1, SyntheticSubmission.FirstWeek, point, "VEN", "IRREGULAR_ENTRY", "ingreso", "F", null, count)
                { CellId = cell, Version = version }]);
        var newer = Guid.NewGuid();
        var older = Guid.NewGuid();

        await system.SendAsync("alerting-observations-harmonized", Batch(version: 20, count: 50), newer);
        Assert.Equal(1, await system.WaitForCountAsync("SELECT count(*) FROM alerting.inbox WHERE message_id = @id", 1, Patience, ("id", newer)));
        await system.SendAsync("alerting-observations-harmonized", Batch(version: 10, count: 10), older);
        Assert.Equal(1, await system.WaitForCountAsync("SELECT count(*) FROM alerting.inbox WHERE message_id = @id", 1, Patience, ("id", older)));

        Assert.Equal(50, await system.ScalarAsync("SELECT count FROM alerting.cells WHERE cell_id = @id AND version = 20", ("id", cell)));
    }

    [Fact]
    public async Task Two_spellings_of_one_nationality_in_one_submission_are_two_published_cells_summed_in_the_harmonized_series()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var csv = $"period,border_point,nationality,category,sex,count\n2024-01-01,{point},VEN,Ingreso regular,F,30\n2024-01-01,{point},venezolana,Ingreso regular,F,12\n";

        var id = await PostAsync(csv, "text/csv", "?country=CHL");

        var seriesKey = $"CHL|CHL-{point.ToUpperInvariant().Replace(' ', '-')}|VEN|REGULAR_ENTRY";
        // Each spelling is its own published series total (and sex breakdown); the harmonized series sums the totals.
        const string Totals = "sex = '_T' AND age_group = '_T'";
        Assert.Equal(2, await system.WaitForCountAsync($"SELECT count(*) FROM alerting.cells WHERE series_key = @key AND {Totals}", 2, Patience, ("key", seriesKey)));
        Assert.Equal(42, await system.ScalarAsync($"SELECT sum(count) FROM alerting.cells WHERE series_key = @key AND {Totals} AND NOT deleted", ("key", seriesKey)));
        Assert.Equal(2, await system.ScalarAsync(
            $"SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id AND nationality = 'VEN' AND {Totals}", ("id", id)));
    }
}
