using System.Net.Http.Json;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// The in-service measure of the judge (bench-alerting.sh) reads every series of a week with its history and judges it as a
/// batch would, then re-judges it from the verdicts' bases as a revision would, and keeps nothing.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class JudgingSpeedTests(SystemFixture system)
{
    [Fact]
    public async Task Every_series_reported_in_the_week_is_judged_once_with_the_detector_its_history_allows()
    {
        // A week no other test reports: 70 weeks of history choose Farrington b = 1, 20 weeks EARS C2; a series without
        // the week is not read, and a series whose week holds a suppressed total with no bounds disclosed is not judged.
        var week = new DateOnly(1991, 1, 7);
        var point = $"SPEED-{Guid.NewGuid():N}"[..16];
        await using (var insert = system.Database.CreateCommand(
            """
            INSERT INTO alerting.series_weeks (level, reporting_country, border_point, nationality, category, period, total, unknown, cells, unbounded)
            SELECT 'country+borderPoint+nationality+category', 'CHL', @point || '-' || s.name, 'VEN', 'IRREGULAR_ENTRY', @week - 7 * w,
                   40 + (w % 5), CASE WHEN s.name = 'suppressed' AND w = 0 THEN 1 ELSE 0 END, 1, CASE WHEN s.name = 'suppressed' AND w = 0 THEN 1 ELSE 0 END
            FROM (VALUES ('long', 0, 70), ('short', 0, 20), ('without-the-week', 1, 30), ('suppressed', 0, 30)) AS s(name, first, weeks),
                 generate_series(s.first, s.weeks) AS w
            """))
        {
            insert.Parameters.AddWithValue("point", point);
            insert.Parameters.AddWithValue("week", week);
            await insert.ExecuteNonQueryAsync();
        }

        using var api = system.Client(system.Alerting, await system.IssueKeyAsync("operator"));
        using var response = await api.PostAsync($"/api/operations/judging-speed?week={week:yyyy-MM-dd}", null);
        response.EnsureSuccessStatusCode();
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(3, report.GetProperty("series").GetInt32());
        var detectors = report.GetProperty("detectors").EnumerateArray()
            .ToDictionary(d => d.GetProperty("detector").GetString()!, d => d.GetProperty("series").GetInt32());
        Assert.Equal(1, detectors["farrington-flexible b=1"]);
        Assert.Equal(1, detectors["ears-c2"]);
        Assert.Equal(1, detectors.Single(d => d.Key.StartsWith("not judged")).Value);

        // Re-judged from the bases of those verdicts, as a revised count is: the suppressed week has no basis to keep.
        Assert.Equal(2, report.GetProperty("rejudged").GetInt32());
        Assert.Equal(0, report.GetProperty("sentToHistory").GetInt32());
        var rejudged = report.GetProperty("rejudgeDetectors").EnumerateArray()
            .ToDictionary(d => d.GetProperty("detector").GetString()!, d => d.GetProperty("series").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["farrington-flexible b=1"] = 1, ["ears-c2"] = 1 }, rejudged);

        // A dry run: the verdicts it kept to re-judge from are gone.
        await using var kept = system.Database.CreateCommand("SELECT count(*) FROM alerting.judgements WHERE period = @week AND border_point LIKE @point || '%'");
        kept.Parameters.AddWithValue("week", week);
        kept.Parameters.AddWithValue("point", point);
        Assert.Equal(0L, (long)(await kept.ExecuteScalarAsync())!);
    }
}
