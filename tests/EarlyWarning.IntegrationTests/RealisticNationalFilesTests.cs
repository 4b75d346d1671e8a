using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class RealisticNationalFilesTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Realistic_files_of_eight_countries_end_less_than_one_percent_unmapped_and_every_unmapped_value_is_listed_with_its_count()
    {
        const int rowsPerCountry = 800;
        var generator = new NationalFileGenerator(seed: 2026);
        var submissions = new List<Guid>();
        foreach (var country in NationalFileGenerator.CountryCodes)
        {
            var response = await (await system.PublisherApiAsync(country)).PostAsync($"/api/submissions?country={country}",
                SyntheticSubmission.Content(generator.Csv(country, rowsPerCountry)));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{country}: {await response.Content.ReadAsStringAsync()}");
            submissions.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid());
        }
        var ids = ("ids", (object)submissions.ToArray());
        var total = NationalFileGenerator.CountryCodes.Count * rowsPerCountry;
        Assert.Equal(total, await system.WaitForCountAsync(
            """
            SELECT (SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = ANY(@ids))
                 + (SELECT count(*) FROM classification.held_cells WHERE submission_id = ANY(@ids))
            """, total, Patience, ids));

        // Every value that did not map, with the number of cells it holds, exactly as the generator injected them.
        var held = new Dictionary<(string, string, string), int>();
        await using (var cmd = system.Database.CreateCommand(
            """
            SELECT reporting_country, reason, CASE reason WHEN 'category' THEN category WHEN 'nationality' THEN nationality ELSE border_point END, count(*)
            FROM classification.held_cells CROSS JOIN LATERAL unnest(reasons) AS reason WHERE submission_id = ANY(@ids) GROUP BY 1, 2, 3
            """))
        {
            cmd.Parameters.AddWithValue("ids", submissions.ToArray());
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) held[(reader.GetString(0).Trim(), reader.GetString(1), reader.GetString(2))] = (int)reader.GetInt64(3);
        }
        Assert.Equal(generator.Unmapped.OrderBy(u => u.Key).ToList(), held.OrderBy(u => u.Key).ToList());
        var share = held.Values.Sum() / (double)total;
        Assert.True(share is > 0 and < 0.01, $"{share:P2} of rows unmapped");

        // And the operators' API lists each of them with that count.
        var listed = (await system.ClassificationApi.GetFromJsonAsync<JsonElement>("/api/review/unmapped")).EnumerateArray()
            .ToDictionary(v => (v.GetProperty("reportingCountry").GetString()!, v.GetProperty("kind").GetString()!, v.GetProperty("written").GetString()!),
                v => v.GetProperty("cells").GetInt64());
        foreach (var (value, count) in generator.Unmapped) Assert.Equal(count, listed.GetValueOrDefault(value));
    }
}
