using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
using EarlyWarning.Contracts;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// The alert lifecycle end to end, through the ingestion API with Chile's agreement on: two years of weekly
/// counts by sex and age group, published as an authority would (the history, then week by week).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AlertLifecycleTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private const int Level = 40, SurgeStart = 96, SurgeWeeks = 4, Weeks = 104;
    private static readonly string[] Sexes = ["F", "M"];
    private static readonly string[] AgeGroups = ["0-17", "18-29", "30-44", "60+"];

    /// <summary>Weekly Poisson counts around 40 (three times that in the surge weeks), each split at random over sex × age group.</summary>
    private static string Csv(string point, int from, int to, Func<int, double> mean, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("period,border_point,nationality,category,sex,age_group,count\n");
        for (var w = 0; w < to; w++)
        {
            var total = RandomCounts.Poisson(random, mean(w));
            var cells = new long[Sexes.Length * AgeGroups.Length];
            for (var i = 0; i < total; i++) cells[random.Next(cells.Length)]++;
            if (w < from) continue;
            var week = SyntheticSubmission.FirstWeek.AddDays(7 * w);
            for (var c = 0; c < cells.Length; c++)
                csv.Append(CultureInfo.InvariantCulture,
                    $"{week:yyyy-MM-dd},{point},venezolana,Ingreso por paso no habilitado,{Sexes[c / AgeGroups.Length]},{AgeGroups[c % AgeGroups.Length]},{cells[c]}\n");
        }
        return csv.ToString();
    }

    private static double WithSurge(int w) => w is >= SurgeStart and < SurgeStart + SurgeWeeks ? 3 * Level : Level;

    private async Task PostAsync(HttpClient publisher, string body, string contentType = "text/csv", string query = "?country=CHL")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await publisher.PostAsync($"/api/submissions{query}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task JudgedAsync(string seriesKey, int week) =>
        Assert.Equal(1, await system.WaitForCountAsync("SELECT count(*) FROM alerting.judgements WHERE series_key = @key AND period = @week",
            1, Patience, ("key", seriesKey), ("week", SyntheticSubmission.FirstWeek.AddDays(7 * week))));

    private async Task<List<(int Revision, int? References, string Type, string State, DateOnly LastSurgeWeek)>> RevisionsAsync(string seriesKey, DateOnly? start = null)
    {
        var revisions = new List<(int, int?, string, string, DateOnly)>();
        await using var cmd = system.Database.CreateCommand(
            """
            SELECT r.revision, r.references_revision, r.msg_type, r.state, r.last_surge_week
            FROM alerting.alert_revisions r JOIN alerting.alerts a USING (alert_id)
            WHERE a.series_key = @key AND (@start::date IS NULL OR a.period = @start) ORDER BY r.revision
            """);
        cmd.Parameters.AddWithValue("key", seriesKey);
        cmd.Parameters.AddWithValue("start", NpgsqlTypes.NpgsqlDbType.Date, (object?)start ?? DBNull.Value);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            revisions.Add((reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateOnly>(4)));
        return revisions;
    }

    private static string SeriesKey(string point) => $"CHL|CHL-{point.ToUpperInvariant().Replace(' ', '-')}|VEN|IRREGULAR_ENTRY";

    /// <summary>The same point's series at the border-point level (every nationality and category there): only this test's data.</summary>
    private static string PointKey(string point) => $"country+borderPoint|CHL|CHL-{point.ToUpperInvariant().Replace(' ', '-')}";

    [Fact]
    public async Task A_four_week_surge_raises_one_alert_updated_while_it_lasts_and_closed_two_weeks_after()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var key = SeriesKey(point);
        using var chile = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", "CHL"));
        await PostAsync(chile, Csv(point, 0, SurgeStart, WithSurge, seed: 7));
        await JudgedAsync(key, SurgeStart - 1);
        await JudgedAsync(PointKey(point), SurgeStart - 1);
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM alerting.alerts WHERE series_key = @key", ("key", key)));

        // A week a submission, each judged (the border point's by the judging pass) before the next arrives.
        for (var w = SurgeStart; w < Weeks; w++)
        {
            await PostAsync(chile, Csv(point, w, w + 1, WithSurge, seed: 7));
            await JudgedAsync(key, w);
            await JudgedAsync(PointKey(point), w);
        }

        var alert = Assert.Single(system.SurgesHeard, s => s.SeriesKey == key);
        Assert.Equal("country+borderPoint+nationality+category", alert.Level);
        Assert.Equal(SyntheticSubmission.FirstWeek.AddDays(7 * SurgeStart), alert.Period);
        Assert.StartsWith("farrington-flexible b=1", alert.Algorithm);
        Assert.Equal("Likely", alert.Certainty);
        var week = (int i) => SyntheticSubmission.FirstWeek.AddDays(7 * i);
        Assert.Equal(
            [(1, null, "Alert", "active", week(96)), (2, 1, "Update", "active", week(97)), (3, 2, "Update", "active", week(98)),
             (4, 3, "Update", "active", week(99)), (5, 4, "Update", "closed", week(99))],
            await RevisionsAsync(key));
        Assert.Equal(1, await system.ScalarAsync(
            """
            SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND state = 'closed' AND closed_week = @closed AND weeks_above = 4
               AND severity IN ('Severe', 'Extreme') AND revision = 5
            """, ("key", key), ("closed", week(101))));

        // The border point's series (the same counts here) is judged and alerted with the same lifecycle, saying its level.
        var heard = DateTime.UtcNow + Patience;
        while (!system.SurgesHeard.Any(s => s.SeriesKey == PointKey(point)) && DateTime.UtcNow < heard) await Task.Delay(100);
        var pointAlert = Assert.Single(system.SurgesHeard, s => s.SeriesKey == PointKey(point));
        Assert.Equal(("country+borderPoint", "CHL", "_T", "_T"), (pointAlert.Level, pointAlert.ReportingCountry, pointAlert.Nationality, pointAlert.Category));
        Assert.Equal(["Alert", "Update", "Update", "Update", "Update"], (await RevisionsAsync(PointKey(point))).Select(r => r.Type));

        // The analyst API: the alert by its filters, its revisions, the series behind it and its breakdown.
        using var analyst = system.Client(system.Alerting, await system.IssueKeyAsync("analyst", "--countries", "CHL"));
        var borderPoint = $"CHL-{point.ToUpperInvariant().Replace(' ', '-')}";
        var listed = await analyst.GetFromJsonAsync<JsonElement>($"/api/alerts?borderPoint={borderPoint}&state=closed&nationality=ven&from=2025-10-01&level=country%2BborderPoint%2Bnationality%2Bcategory");
        Assert.Equal(alert.AlertId, Assert.Single(listed.EnumerateArray()).GetProperty("alertId").GetGuid());
        Assert.Empty((await analyst.GetFromJsonAsync<JsonElement>($"/api/alerts?borderPoint={borderPoint}&state=active")).EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync("/api/alerts?severity=Huge")).StatusCode);

        var detail = await analyst.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.AlertId}");
        Assert.Equal(["Alert", "Update", "Update", "Update", "Update"],
            detail.GetProperty("revisions").EnumerateArray().Select(r => r.GetProperty("msgType").GetString()));

        var csv = (await analyst.GetStringAsync($"/api/alerts/{alert.AlertId}/series?format=csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("week,observed,expected,upper_bound,surge,in_alert,algorithm", csv[0]);
        Assert.Equal(26 + 6 + 2, csv.Length - 1); // 26 weeks before, the 6 weeks to its closing, the 2 weeks published after
        Assert.Equal(4, csv.Count(line => line.Contains(",1,1,farrington-flexible b=1")));

        var breakdown = await analyst.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.AlertId}/breakdown");
        var cells = breakdown.GetProperty("cells").EnumerateArray().ToList();
        Assert.Contains(cells, c => c.GetProperty("sex").GetString() == "F" && c.GetProperty("ageGroup").GetString() == "_T");
        Assert.Contains(cells, c => c.GetProperty("sex").GetString() == "_T" && c.GetProperty("ageGroup").GetString() == "Y18T59");
        Assert.Equal(6, cells.Select(c => c.GetProperty("week").GetString()).Distinct().Count());
        Assert.Contains(cells, c => c.GetProperty("vulnerability").GetString() == "_Z" && c.GetProperty("nationality").GetString() == "VEN");
        var higher = breakdown.GetProperty("higherLevels").EnumerateArray().ToList();
        Assert.Contains(higher, l => l.GetProperty("level").GetString() == "country" && l.GetProperty("reportingCountry").GetString() == "CHL");
        Assert.Contains(higher, l => l.GetProperty("level").GetString() == "country+borderPoint" && l.GetProperty("borderPoint").GetString() == borderPoint
                                     && l.GetProperty("surging").GetBoolean());
        // A caller scoped to Chile sees no series summed over the whole region.
        Assert.DoesNotContain(higher, l => l.GetProperty("reportingCountry").GetString() == "_T");
        Assert.Empty(breakdown.GetProperty("lowerLevels").EnumerateArray());
        var byLevel = await analyst.GetFromJsonAsync<JsonElement>($"/api/alerts?borderPoint={borderPoint}&level=borderPoint%2Bcountry");
        Assert.Equal(pointAlert.AlertId, Assert.Single(byLevel.EnumerateArray()).GetProperty("alertId").GetGuid());
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync("/api/alerts?level=region")).StatusCode);

        using var peru = system.Client(system.Alerting, await system.IssueKeyAsync("analyst", "--countries", "PER"));
        Assert.Equal(HttpStatusCode.NotFound, (await peru.GetAsync($"/api/alerts/{alert.AlertId}")).StatusCode);
    }

    [Fact]
    public async Task Republishing_the_surge_week_with_its_usual_counts_withdraws_the_alert_with_the_reason()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var key = SeriesKey(point);
        using var chile = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", "CHL"));
        await PostAsync(chile, Csv(point, 0, SurgeStart + 1, WithSurge, seed: 11));
        var surgeWeek = SyntheticSubmission.FirstWeek.AddDays(7 * SurgeStart);
        Assert.Equal(1, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND period = @week AND state = 'active'", 1, Patience, ("key", key), ("week", surgeWeek)));

        // The same cells of the surge week, revised by the authority to counts of the usual level.
        await PostAsync(chile, Csv(point, SurgeStart, SurgeStart + 1, _ => Level, seed: 11));

        Assert.Equal(1, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND period = @week AND state = 'withdrawn' AND withdrawn_reason LIKE 'the revised count % no longer exceeds the bound %'",
            1, Patience, ("key", key), ("week", surgeWeek)));
        var revisions = await RevisionsAsync(key, surgeWeek);
        Assert.Equal([(1, null, "Alert", "active"), (2, 1, "Cancel", "withdrawn")], revisions.Select(r => (r.Revision, r.References, r.Type, r.State)));
    }

    [Fact]
    public async Task Deleting_the_surge_weeks_cells_withdraws_the_alert_with_the_reason()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var key = SeriesKey(point);
        using var chile = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", "CHL"));
        await PostAsync(chile, Csv(point, 0, SurgeStart + 1, WithSurge, seed: 13));
        var surgeWeek = SyntheticSubmission.FirstWeek.AddDays(7 * SurgeStart);
        Assert.Equal(1, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND period = @week AND state = 'active'", 1, Patience, ("key", key), ("week", surgeWeek)));
        // The border point's series, judged by the judging pass once the release is in, is alerted too.
        Assert.Equal(1, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND period = @week AND state = 'active'", 1, Patience,
            ("key", PointKey(point)), ("week", surgeWeek)));

        // SDMX-CSV ACTION D of every cell of the surge week, as the authority published them.
        var monday = surgeWeek.ToDateTime(TimeOnly.MinValue);
        var period = $"{ISOWeek.GetYear(monday)}-W{ISOWeek.GetWeekOfYear(monday):D2}";
        var delete = new StringBuilder("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,TIME_PERIOD,BORDER_POINT,NATIONALITY,CATEGORY,SEX,AGE,OBS_VALUE\n");
        foreach (var sex in Sexes)
        foreach (var age in AgeGroups)
            delete.Append(CultureInfo.InvariantCulture, $"dataflow,RCM_SACM:DF_MIGRATION_FLOWS(1.0),D,CHL,W,{period},{point},venezolana,Ingreso por paso no habilitado,{sex},{age},NaN\n");
        await PostAsync(chile, delete.ToString(), "application/vnd.sdmx.data+csv", query: "");

        Assert.Equal(1, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND period = @week AND state = 'withdrawn' AND withdrawn_reason LIKE '%deleted%'",
            1, Patience, ("key", key), ("week", surgeWeek)));
        // The deletion reached every level the cells were part of: the border point's alert is withdrawn too.
        Assert.Equal(1, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND period = @week AND state = 'withdrawn' AND level = 'country+borderPoint'",
            1, Patience, ("key", PointKey(point)), ("week", surgeWeek)));
        Assert.Equal(0, await system.ScalarAsync(
            "SELECT count(*) FROM alerting.series_weeks WHERE level = 'country+borderPoint' AND border_point = @point AND period = @week AND cells > 0",
            ("point", $"CHL-{point.ToUpperInvariant().Replace(' ', '-')}"), ("week", surgeWeek)));
        var revisions = await RevisionsAsync(key, surgeWeek);
        Assert.Equal([(1, null, "Alert", "active"), (2, 1, "Cancel", "withdrawn")], revisions.Select(r => (r.Revision, r.References, r.Type, r.State)));
    }
}
