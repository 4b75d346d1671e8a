using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

/// <summary>The pipeline with the agreements on, over data shaped like what national authorities publish.</summary>
[Collection(SystemCollection.Name)]
public sealed class NationalDatasetTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private const int K = 5, Weeks = 104, SurgeWeek = 100;
    private static readonly string[] Sexes = ["F", "M"];
    private static readonly string[] AgeGroups = ["0-17", "18-29", "30-44", "60+"];

    private sealed record Country(string Code, string Category, string[] Nationalities);

    private static readonly Country[] Countries =
    [
        new("CHL", "Ingreso por paso no habilitado", ["venezolana", "haitiana", "colombiana", "peruana", "cubana"]),
        new("COL", "Ingreso irregular", ["venezolano", "haitiano", "ecuatoriano", "cubano", "peruano"]),
        new("PER", "Ingreso irregular", ["venezolana", "colombiana", "haitiana", "ecuatoriana", "cubana"]),
    ];

    /// <summary>
    /// Two years of weekly detail (sex × four age groups) at three border points per country, for five
    /// nationalities: series of 8 to 40 a week (Poisson), split at random over the eight detail cells, so most
    /// detail cells are below k while most series totals are not. Chile's first border point gets a fivefold
    /// surge of Venezuelans in week 100.
    /// </summary>
    private static (string Csv, Dictionary<(string Point, string Nationality, DateOnly Week), long> Totals, int Detail, int DetailBelowK) Generate(Country country, string[] points, Random random)
    {
        var csv = new StringBuilder("period,border_point,nationality,category,sex,age_group,count\n");
        var totals = new Dictionary<(string, string, DateOnly), long>();
        int detail = 0, below = 0;
        foreach (var point in points)
        foreach (var nationality in country.Nationalities)
        {
            var level = random.Next(8, 41);
            for (var w = 0; w < Weeks; w++)
            {
                var week = SyntheticSubmission.FirstWeek.AddDays(7 * w);
                var mean = country.Code == "CHL" && point == points[0] && nationality == country.Nationalities[0] && w == SurgeWeek ? level * 5 : level;
                var total = RandomCounts.Poisson(random, mean);
                totals[(point, nationality, week)] = total;
                var cells = new long[Sexes.Length * AgeGroups.Length];
                for (var i = 0; i < total; i++) cells[random.Next(cells.Length)]++;
                for (var c = 0; c < cells.Length; c++)
                {
                    detail++;
                    if (cells[c] > 0 && cells[c] < K) below++;
                    csv.Append(CultureInfo.InvariantCulture,
                        $"{week:yyyy-MM-dd},{point},{nationality},{country.Category},{Sexes[c / AgeGroups.Length]},{AgeGroups[c % AgeGroups.Length]},{cells[c]}\n");
                }
            }
        }
        return (csv.ToString(), totals, detail, below);
    }

    [Fact]
    public async Task Every_series_total_at_or_above_k_is_released_and_judged_and_an_injected_surge_raises_an_alert_with_the_agreements_on()
    {
        var random = new Random(20251013);
        var submissions = new List<(Country Country, Guid Id, string[] Points, Dictionary<(string, string, DateOnly), long> Totals)>();
        int detail = 0, detailBelow = 0;
        foreach (var country in Countries)
        {
            var points = Enumerable.Range(0, 3).Select(_ => SyntheticSubmission.NewBorderPoint()).ToArray();
            var (csv, totals, cells, below) = Generate(country, points, random);
            detail += cells;
            detailBelow += below;
            using var publisher = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", country.Code));
            var response = await publisher.PostAsync($"/api/submissions?country={country.Code}", SyntheticSubmission.Content(csv));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            submissions.Add((country, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid(), points, totals));
        }
        Assert.True(detailBelow > detail / 2, $"most detail cells must be below k: {detailBelow} of {detail}");

        foreach (var (country, id, points, totals) in submissions)
        {
            var released = await system.WaitForCountAsync("SELECT released FROM anonymization.submission_audit WHERE submission_id = @id", 1, Patience, ("id", id));
            Assert.Equal(released, await system.WaitForCountAsync(
                "SELECT count(*) FROM alerting.cells WHERE submission_id = @id", released, Patience, ("id", id)));

            var harmonizedTotals = new Dictionary<(string, string, DateOnly), long?>();
            await using (var cmd = system.Database.CreateCommand(
                "SELECT border_point, nationality, period, count FROM classification.harmonized_observations WHERE submission_id = @id AND sex = '_T' AND age_group = '_T'"))
            {
                cmd.Parameters.AddWithValue("id", id);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    harmonizedTotals[(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2))] = reader.IsDBNull(3) ? null : reader.GetInt64(3);
            }
            int atOrAbove = 0;
            foreach (var ((point, nationality, week), total) in totals)
            {
                var key = (Harmonized(country.Code, point), NationalityCodes[nationality], week);
                Assert.True(harmonizedTotals.TryGetValue(key, out var published), $"{country.Code} {key}: no series total released");
                if (total >= K)
                {
                    atOrAbove++;
                    Assert.Equal(total, published);
                }
                else if (total > 0) Assert.Null(published);
            }
            Assert.True(atOrAbove > totals.Count * 8 / 10, $"{country.Code}: {atOrAbove} of {totals.Count} series totals at or above k");
            // Alerting holds each of those totals as the week's count of its series (breakdown cells are not added to it).
            Assert.Equal(atOrAbove, await system.ScalarAsync(
                "SELECT count(*) FROM alerting.cells WHERE submission_id = @id AND sex = '_T' AND age_group = '_T' AND count >= @k", ("id", id), ("k", (long)K)));
        }

        var chile = submissions[0];
        var surgeKey = $"CHL|{Harmonized("CHL", chile.Points[0])}|VEN|IRREGULAR_ENTRY";
        var surgeWeek = SyntheticSubmission.FirstWeek.AddDays(7 * SurgeWeek);
        Assert.Equal(1, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.alerts WHERE series_key = @key AND period = @week AND observed = @observed", 1, Patience,
            ("key", surgeKey), ("week", surgeWeek), ("observed", chile.Totals[(chile.Points[0], "venezolana", surgeWeek)])));
    }

    private static string Harmonized(string country, string point) => $"{country}-{point.ToUpperInvariant().Replace(' ', '-')}";

    private static readonly Dictionary<string, string> NationalityCodes = new()
    {
        ["venezolana"] = "VEN", ["venezolano"] = "VEN", ["haitiana"] = "HTI", ["haitiano"] = "HTI", ["colombiana"] = "COL",
        ["peruana"] = "PER", ["peruano"] = "PER", ["cubana"] = "CUB", ["cubano"] = "CUB", ["ecuatoriana"] = "ECU", ["ecuatoriano"] = "ECU",
    };
}
