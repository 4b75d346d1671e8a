using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// The steward's review through the real services and the admin command: held values come with ranked suggestions,
/// accepting them is a minimal diff of the policy files and one replay, and an invalid decision writes nothing.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ReviewDecisionTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private const int Weeks = 30, SurgeWeek = 27;

    [Fact]
    public async Task Held_terms_accepted_with_the_command_change_only_those_terms_in_the_policy_and_their_cells_reach_the_alerts_once()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var pointCode = "CHL-TEST-" + point["Test ".Length..];
        // Words the tables were not written from: a category with a qualifier added, and the point inside a longer spelling.
        const string category = "Solicitudes de refugio formalizadas";
        var place = $"Puesto fronterizo {point}";
        var random = new Random(20261208);
        var csv = new StringBuilder("period,border_point,nationality,category,sex,count\n");
        for (var w = 0; w < Weeks; w++)
        {
            var period = SyntheticSubmission.FirstWeek.AddDays(7 * w).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{period},{place},venezolana,{category},,{(w >= SurgeWeek ? 240 : RandomCounts.Poisson(random, 30))}\n");
            csv.Append(CultureInfo.InvariantCulture, $"{period},{point},haitiana,{category},,{RandomCounts.Poisson(random, 25)}\n");
        }
        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(csv.ToString()));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = ("id", (object)(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid());
        Assert.Equal(2 * Weeks, await system.WaitForCountAsync("SELECT count(*) FROM classification.held_cells WHERE submission_id = @id", 2 * Weeks, Patience, id));

        // Each held value comes with its ranked suggestions and their evidence.
        var held = (await system.ClassificationApi.GetFromJsonAsync<JsonElement>("/api/review/unmapped?country=CHL")).EnumerateArray().ToList();
        var categoryReview = held.Single(v => v.GetProperty("kind").GetString() == "category" && v.GetProperty("written").GetString() == category);
        var placeReview = held.Single(v => v.GetProperty("kind").GetString() == "place" && v.GetProperty("written").GetString() == place);
        Assert.Equal("suggested", categoryReview.GetProperty("status").GetString());
        Assert.Equal("ASYLUM_APPLICATION", categoryReview.GetProperty("suggestions")[0].GetProperty("code").GetString());
        Assert.Contains("mappings/CHL.yaml", categoryReview.GetProperty("suggestions")[0].GetProperty("evidence")[0].GetProperty("source").GetString());
        Assert.Equal(("alias", pointCode), (placeReview.GetProperty("suggestions")[0].GetProperty("action").GetString(), placeReview.GetProperty("suggestions")[0].GetProperty("code").GetString()));

        var key = await system.IssueKeyAsync("operator");
        var url = system.Classification.BaseAddress.ToString();
        var mappingBefore = TestPolicy.Read("mappings/CHL.yaml");
        var placesBefore = TestPolicy.Read("places/zz-tests-CHL.yaml");

        // A dry run shows the diff and writes nothing.
        var dry = await system.AdminAsync("review", "accept", category, "--country", "CHL", "--dry-run", "--url", url, "--api-key", key);
        Assert.True(dry.ExitCode == 0, dry.Error);
        Assert.Contains($"+    national: [", dry.Output + dry.Error);
        Assert.Equal(mappingBefore, TestPolicy.Read("mappings/CHL.yaml"));

        var accepted = await system.AdminAsync("review", "accept", category, "--country", "CHL", "--url", url, "--api-key", key);
        Assert.True(accepted.ExitCode == 0, accepted.Error);
        var aliased = await system.AdminAsync("review", "accept", place, "--kind", "place", "--country", "CHL", "--url", url, "--api-key", key);
        Assert.True(aliased.ExitCode == 0, aliased.Error);

        // The diff is exactly the accepted terms: each file's version, one "# accepted" line, the line that gained the term.
        AssertOnlyAdded(mappingBefore, TestPolicy.Read("mappings/CHL.yaml"), category);
        AssertOnlyAdded(placesBefore, TestPolicy.Read("places/zz-tests-CHL.yaml"), place);

        // Every held cell went on exactly once, and the surge behind the held values is alerted.
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM classification.held_cells WHERE submission_id = @id", id));
        Assert.Equal(2 * Weeks, await system.WaitForCountAsync("SELECT count(*) FROM alerting.cells WHERE submission_id = @id", 2 * Weeks, Patience, id));
        Assert.Equal(2 * Weeks, await system.ScalarAsync("SELECT count(DISTINCT line) FROM classification.harmonized_observations WHERE submission_id = @id", id));
        Assert.Equal(2 * Weeks, await system.ScalarAsync("SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", id));
        const string surge = "SELECT count(*) FROM alerting.alerts WHERE reporting_country = 'CHL' AND border_point = @point AND nationality = 'VEN' AND category = 'ASYLUM_APPLICATION'";
        Assert.True(await system.WaitForCountAsync(surge, 1, Patience, ("point", pointCode)) >= 1);

        // The decisions are recorded with who took them and what they wrote.
        var decisions = await system.ClassificationApi.GetFromJsonAsync<JsonElement>("/api/review/decisions?country=CHL");
        Assert.Contains(decisions.EnumerateArray(), d => d.GetProperty("written").GetString() == category && d.GetProperty("diff").GetString()!.Contains(category));
    }

    [Theory]
    [InlineData("category", "map", "NOT_A_CATEGORY", "mappings/CHL.yaml", "code")]
    [InlineData("place", "alias", "PER-TUMBES-NOT-LISTED", "places/CHL.yaml", "code")]
    [InlineData("category", "map", "REFUSAL_OF_ENTRY", "mappings/CHL.yaml", "national")]
    public async Task An_invalid_decision_is_refused_naming_the_file_and_field_and_nothing_is_written(string kind, string action, string code, string file, string field)
    {
        // The third: a writing the table already maps to another category would then map two ways.
        var written = field == "national" ? "Solicitud de refugio" : $"Valor {Guid.NewGuid():N}"[..14];
        var before = Directory.EnumerateFiles(TestPolicy.Directory, "*.yaml", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText);
        var response = await system.ClassificationApi.PostAsJsonAsync("/api/review/decisions",
            new { country = "CHL", decisions = new[] { new { kind, written, action, code } } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith(file.Split('/')[0], problem.GetProperty("file").GetString());
        Assert.Contains(field, problem.GetProperty("field").GetString());
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllText(f.Key)));
    }

    [Fact]
    public async Task A_point_of_another_country_is_refused_as_an_alias()
    {
        var response = await system.ClassificationApi.PostAsJsonAsync("/api/review/decisions",
            new { country = "CHL", decisions = new[] { new { kind = "place", written = "Paso Tumbes", action = "alias", code = "PER-TEST-" + SyntheticSubmission.NewBorderPoint()["Test ".Length..] } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("not of CHL", problem.GetProperty("reason").GetString());
        Assert.StartsWith("places/", problem.GetProperty("file").GetString());
    }

    [Fact]
    public async Task A_country_without_a_table_starts_one_from_the_template_and_a_country_with_one_is_refused()
    {
        var dry = await system.ClassificationApi.PostAsync("/api/review/tables/URY?dryRun=true", null);
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        Assert.Contains("+country: URY", (await dry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("diff").GetString());
        Assert.False(File.Exists(Path.Combine(TestPolicy.Directory, "mappings", "URY.yaml")));

        Assert.Equal(HttpStatusCode.OK, (await system.ClassificationApi.PostAsync("/api/review/tables/URY", null)).StatusCode);
        var policy = await system.ClassificationApi.GetFromJsonAsync<JsonElement>("/api/policy");
        Assert.Contains(policy.GetProperty("mappingTables").EnumerateArray(), t => t.GetProperty("country").GetString() == "URY");
        Assert.Equal(HttpStatusCode.Conflict, (await system.ClassificationApi.PostAsync("/api/review/tables/CHL", null)).StatusCode);
    }

    /// <summary>The new text is the old one with the version raised, one "# accepted" line and the term added.</summary>
    private static void AssertOnlyAdded(string before, string after, string term)
    {
        var (a, b) = (before.Split('\n'), after.Split('\n'));
        Assert.Equal(a.Length + 1, b.Length);
        var changed = b.Where(line => !a.Contains(line)).ToList();
        var removed = a.Where(line => !b.Contains(line)).ToList();
        Assert.Equal(3, changed.Count);
        Assert.Equal(2, removed.Count);
        Assert.Contains(changed, line => line.StartsWith("version: ", StringComparison.Ordinal));
        Assert.Contains(changed, line => line.TrimStart().StartsWith("# accepted", StringComparison.Ordinal) && line.Contains(term));
        Assert.Contains(changed, line => line.Contains(term) && !line.TrimStart().StartsWith('#'));
    }
}
