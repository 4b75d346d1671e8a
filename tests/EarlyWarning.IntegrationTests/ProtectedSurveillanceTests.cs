using System.Globalization;
using System.Net;
using System.Text;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// Detection on data as an agreement releases it, through the real services: a series of a few events a week, whose
/// weekly totals Ecuador's agreement (threshold k = 5) mostly suppresses, beside a larger one at the same crossing.
/// Its weeks dated years before any other test's, so that Ecuador's country total is this test's alone.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ProtectedSurveillanceTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private static readonly DateOnly FirstWeek = new(2016, 1, 4);
    private const int Weeks = 112, SurgeStart = 104, SurgeWeeks = 3;
    private static readonly string[] Sexes = ["F", "M"];
    private static readonly string[] Ages = ["0-17", "18-29", "30-44", "60+"];

    private static DateOnly Week(int w) => FirstWeek.AddDays(7 * w);

    /// <summary>Weekly Poisson counts of a series, each split at random over sex × age group; rows of zero are left out, as national exports do.</summary>
    private static void Append(StringBuilder csv, Random random, string point, string nationality, Func<int, double> mean)
    {
        for (var w = 0; w < Weeks; w++)
        {
            var cells = new long[Sexes.Length * Ages.Length];
            for (var i = RandomCounts.Poisson(random, mean(w)); i > 0; i--) cells[random.Next(cells.Length)]++;
            for (var c = 0; c < cells.Length; c++)
                if (cells[c] > 0)
                    csv.Append(CultureInfo.InvariantCulture,
                        $"{Week(w):yyyy-MM-dd},{point},{nationality},Ingreso irregular,{Sexes[c / Ages.Length]},{Ages[c % Ages.Length]},{cells[c]}\n");
        }
    }

    [Fact]
    public async Task A_small_series_whose_weeks_are_mostly_suppressed_gets_its_surge_alerted_and_its_country_total_is_judged_every_week()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var pointCode = "ECU-TEST-" + point["Test ".Length..];
        var random = new Random(20261208);
        var csv = new StringBuilder("period,border_point,nationality,category,sex,age_group,count\n");
        // About 3 a week (so most weekly totals are 1 to 4, under k), ten times that for three weeks (the minimum count is 20).
        Append(csv, random, point, "venezolana", w => w is >= SurgeStart and < SurgeStart + SurgeWeeks ? 30 : 3);
        Append(csv, random, point, "COL", _ => 40);
        var response = await (await system.PublisherApiAsync("ECU")).PostAsync("/api/submissions?country=ECU", SyntheticSubmission.Content(csv.ToString()));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());

        // Every week of the country total gets a verdict once the whole release is judged.
        const string countryWeeks =
            "SELECT count(*) FROM alerting.judgements WHERE level = 'country' AND reporting_country = 'ECU' AND period BETWEEN @from AND @to";
        var range = new (string, object)[] { ("from", Week(0)), ("to", Week(Weeks - 1)) };
        Assert.Equal(Weeks, await system.WaitForCountAsync(countryWeeks, Weeks, Patience, range));
        const string finest =
            "level = 'country+borderPoint+nationality+category' AND reporting_country = 'ECU' AND border_point = @point AND nationality = 'VEN'";
        var series = new (string, object)[] { ("point", pointCode) };
        Assert.Equal(1, await system.WaitForCountAsync($"SELECT count(*) FROM alerting.alerts WHERE {finest}", 1, Patience, series));

        // The series was mostly suppressed: this is what the test is about.
        var suppressed = await system.ScalarAsync(
            """
            SELECT count(*) FROM alerting.cells WHERE reporting_country = 'ECU' AND border_point = @point AND nationality = 'VEN'
               AND sex IN ('_T', '') AND age_group IN ('_T', '') AND count IS NULL
            """, series);
        Assert.True(suppressed > Weeks / 2, $"only {suppressed} of {Weeks} weekly totals suppressed");

        // Its surge: one alert, from its first week (or the next), never withdrawn.
        Assert.Equal(1, await system.ScalarAsync(
            $"SELECT count(*) FROM alerting.alerts WHERE {finest} AND period BETWEEN @start AND @next AND state <> 'withdrawn'",
            ("point", pointCode), ("start", Week(SurgeStart)), ("next", Week(SurgeStart + 1))));
        // Every week with enough history of the country total (the shortest rule needs 9) and of the crossing is judged, suppressed parts and all.
        Assert.Equal(Weeks - 9, await system.ScalarAsync(countryWeeks + " AND upper_bound IS NOT NULL AND period >= @judged",
            ("from", Week(0)), ("to", Week(Weeks - 1)), ("judged", Week(9))));
        Assert.Equal(Weeks - 9, await system.ScalarAsync(
            "SELECT count(*) FROM alerting.judgements WHERE level = 'country+borderPoint' AND border_point = @point AND upper_bound IS NOT NULL AND period >= @judged",
            ("point", pointCode), ("judged", Week(9))));
        // Its own suppressed weeks with a year of history are judged on what the release discloses (1 to 4: no surge).
        var judgedSuppressed = await system.ScalarAsync(
            $"""
            SELECT count(*) FROM alerting.judgements WHERE {finest} AND period >= @year AND upper_bound IS NOT NULL AND observed IS NULL
               AND reason LIKE 'suppressed (%): not a surge%'
            """, ("point", pointCode), ("year", Week(52)));
        Assert.True(judgedSuppressed > (Weeks - 52) / 2, $"{judgedSuppressed} suppressed weeks judged");
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM alerting.alerts WHERE reporting_country = 'ECU' AND state = 'withdrawn' AND period >= @from",
            ("from", Week(0))));
    }
}
