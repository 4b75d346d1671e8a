using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class RecordLevelPrivacyTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Names_document_numbers_birth_dates_and_pseudonyms_never_reach_the_regional_side()
    {
        // One row per border crossing, as a national register exports it: one person a week, so every cell is below k.
        var point = SyntheticSubmission.NewBorderPoint();
        var marker = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var people = Enumerable.Range(0, 12).Select(i => (
            Name: $"Persona{marker}{i} Apellido",
            Document: $"V{marker}{i:D3}",
            Birth: new DateOnly(1961 + i * 3, 1 + i % 12, 3 + i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Period: new DateOnly(2024, 5, 6).AddDays(7 * i),
            Sex: i % 2 == 0 ? "F" : "M")).ToList();
        var csv = new StringBuilder("period,border_point,nationality,category,sex,count,full_name,document_number,birth_date\n");
        foreach (var p in people)
            csv.Append(CultureInfo.InvariantCulture, $"{p.Period:yyyy-MM-dd},{point},venezolana,Ingreso por paso no habilitado,{p.Sex},1,{p.Name},{p.Document},{p.Birth}\n");

        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(csv.ToString()));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var submissionId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();

        // Each week is released as its series total, its cell by sex and its cell by age band (from the birth date): all confidential.
        Assert.Equal(36, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.cells c WHERE c.submission_id = @id", 36, Patience, ("id", submissionId)));
        Assert.Equal(36, await system.ScalarAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id AND count IS NULL", ("id", submissionId)));
        Assert.Equal((12L, 12L), (await system.ScalarAsync(
            "SELECT distinct_persons FROM anonymization.submission_audit WHERE submission_id = @id", ("id", submissionId)), await system.ScalarAsync(
            "SELECT quasi_identifiers_generalized FROM anonymization.submission_audit WHERE submission_id = @id", ("id", submissionId))));

        // What the same person would be called under Chile's agreement and under another agreement with another key.
        var chileKey = Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("EW_PSEUDONYM_SECRET_CHL")!);
        string Pseudonym(string agreement, string keyId, byte[] key, string document) =>
            Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{agreement}\n{keyId}\ndocument_number\n{document}")));
        var forbidden = people.SelectMany(p => new[]
        {
            p.Name, p.Document, p.Birth, Pseudonym("AGR-CHL", "chl-2026-1", chileKey, p.Document),
            Pseudonym("AGR-PER", "per-2026-1", "another agreement's secret of 32+ characters"u8.ToArray(), p.Document),
        }).ToList();
        // The pseudonyms were deleted once counted, and none of these values is in any message Anonymization sent or any table of the regional side.
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM anonymization.pending_persons WHERE submission_id = @id", ("id", submissionId)));
        foreach (var value in forbidden)
        {
            Assert.Equal(0, await system.ScalarAsync(
                """
                SELECT (SELECT count(*) FROM anonymization.outbox WHERE position(@v in convert_from(body, 'UTF8')) > 0)
                     + (SELECT count(*) FROM classification.outbox WHERE position(@v in convert_from(body, 'UTF8')) > 0)
                     + (SELECT count(*) FROM alerting.outbox WHERE position(@v in convert_from(body, 'UTF8')) > 0)
                     + (SELECT count(*) FROM classification.harmonized_observations h WHERE position(@v in h::text) > 0)
                     + (SELECT count(*) FROM classification.held_cells u WHERE position(@v in u::text) > 0)
                     + (SELECT count(*) FROM alerting.cells c WHERE position(@v in c::text) > 0)
                     + (SELECT count(*) FROM alerting.alerts a WHERE position(@v in a::text) > 0)
                """, ("v", value)));
        }
    }
}
