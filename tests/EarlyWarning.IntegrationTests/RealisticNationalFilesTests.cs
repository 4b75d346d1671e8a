using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class RealisticNationalFilesTests(SystemFixture system, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Realistic_files_of_eight_countries_broken_down_by_sex_and_age_end_less_than_one_percent_unmapped_and_every_unmapped_value_is_listed_with_its_count()
    {
        const int groupsPerCountry = 400;
        var generator = new NationalFileGenerator(seed: 2026);
        var submissions = new List<Guid>();
        foreach (var country in NationalFileGenerator.CountryCodes)
        {
            var response = await (await system.PublisherApiAsync(country)).PostAsync($"/api/submissions?country={country}",
                SyntheticSubmission.Content(generator.Csv(country, groupsPerCountry)));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{country}: {await response.Content.ReadAsStringAsync()}");
            submissions.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid());
        }
        var ids = ("ids", (object)submissions.ToArray());
        var total = generator.Cells;
        Assert.Equal(total, await system.WaitForCountAsync(
            """
            SELECT (SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = ANY(@ids))
                 + (SELECT count(*) FROM classification.held_cells WHERE submission_id = ANY(@ids))
            """, total, Patience, ids));

        // Every value that did not map, with the number of cells it holds, exactly as the generator injected them.
        var held = new Dictionary<(string, string, string), int>();
        await using (var cmd = system.Database.CreateCommand(
            """
            SELECT reporting_country, reason,
                   CASE reason WHEN 'category' THEN category WHEN 'nationality' THEN nationality WHEN 'age' THEN age_group WHEN 'sex' THEN sex ELSE border_point END,
                   count(*)
            FROM classification.held_cells CROSS JOIN LATERAL unnest(reasons) AS reason WHERE submission_id = ANY(@ids) GROUP BY 1, 2, 3
            """))
        {
            cmd.Parameters.AddWithValue("ids", submissions.ToArray());
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) held[(reader.GetString(0).Trim(), reader.GetString(1), reader.GetString(2))] = (int)reader.GetInt64(3);
        }
        Assert.Equal(generator.Unmapped.OrderBy(u => u.Key).ToList(), held.OrderBy(u => u.Key).ToList());
        var heldCells = await system.ScalarAsync("SELECT count(*) FROM classification.held_cells WHERE submission_id = ANY(@ids)", ids);
        var share = heldCells / (double)total;
        output.WriteLine($"{total} cells released, {heldCells} held ({share:P2}): " +
            string.Join(", ", held.OrderBy(h => h.Key).Select(h => $"{h.Key.Item1} {h.Key.Item2} '{h.Key.Item3}' x{h.Value}")));
        Assert.True(share is > 0 and < 0.01, $"{share:P2} of cells unmapped");

        // Sexes and every country's own age bands landed on the regional codes, none as written.
        var codes = new List<(string Sex, string Age)>();
        await using (var cmd = system.Database.CreateCommand(
            "SELECT DISTINCT sex, age_group FROM classification.harmonized_observations WHERE submission_id = ANY(@ids)"))
        {
            cmd.Parameters.AddWithValue("ids", submissions.ToArray());
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) codes.Add((reader.GetString(0), reader.GetString(1)));
        }
        Assert.Equal(["F", "M", "_T"], codes.Select(c => c.Sex).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["Y0T11", "Y0T4", "Y12T17", "Y18T59", "Y5T11", "Y_GE18", "Y_GE60", "Y_LT18", "_T"],
            codes.Select(c => c.Age).Distinct().Order(StringComparer.Ordinal));
        // A breakdown is by sex or by age, never both at once (the agreements publish no cross table).
        Assert.DoesNotContain(codes, c => c.Sex != "_T" && c.Age != "_T");

        // And the operators' API lists each of them with that count.
        var listed = (await system.ClassificationApi.GetFromJsonAsync<JsonElement>("/api/review/unmapped")).EnumerateArray()
            .ToDictionary(v => (v.GetProperty("reportingCountry").GetString()!, v.GetProperty("kind").GetString()!, v.GetProperty("written").GetString()!),
                v => v.GetProperty("cells").GetInt64());
        foreach (var (value, count) in generator.Unmapped) Assert.Equal(count, listed.GetValueOrDefault(value));
    }
}
