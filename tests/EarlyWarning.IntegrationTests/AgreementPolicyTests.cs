using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class AgreementPolicyTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<JsonElement> AuditAsync(Guid submissionId)
    {
        using var anonymization = system.Client(system.Anonymization, await system.IssueKeyAsync("operator"));
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var response = await anonymization.GetAsync($"/api/submissions/{submissionId}/audit");
            if (response.StatusCode == HttpStatusCode.OK) return await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.True(DateTime.UtcNow < deadline, $"no audit for {submissionId}");
            await Task.Delay(200);
        }
    }

    private async Task<Guid> SubmitAsync(string country, string csv)
    {
        using var publisher = system.Client(system.Ingestion, await system.IssueKeyAsync("publisher", "--country", country));
        var response = await publisher.PostAsync($"/api/submissions?country={country}", SyntheticSubmission.Content(csv));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();
    }

    [Fact]
    public async Task A_new_agreement_version_applies_to_new_submissions_while_old_ones_keep_the_audit_of_the_version_they_got()
    {
        var file = Path.Combine(system.AgreementsDirectory, "CRI.yaml");
        var original = await File.ReadAllTextAsync(file);
        // Costa Rica's weekly cells of 7: free under k = 5, confidential under k = 10.
        var csv = $"period,border_point,nationality,category,sex,count\n2024-01-01,{SyntheticSubmission.NewBorderPoint()},nicaraguense,Ingreso irregular,F,7\n";
        try
        {
            var before = await SubmitAsync("CRI", csv);
            var beforeAudit = await AuditAsync(before);
            Assert.Equal(("AGR-CRI", 2, 0), (beforeAudit.GetProperty("agreementId").GetString(), beforeAudit.GetProperty("agreementVersion").GetInt32(),
                beforeAudit.GetProperty("primarySuppressed").GetInt32()));

            await File.WriteAllTextAsync(file, original.Replace("version: 2", "version: 3").Replace("threshold: 5", "threshold: 10"));
            await system.Anonymization.DisposeAsync();
            await system.Anonymization.StartAsync();
            var after = await SubmitAsync("CRI", csv.Replace("2024-01-01", "2024-01-08"));

            var afterAudit = await AuditAsync(after);
            Assert.Equal((3, 2), (afterAudit.GetProperty("agreementVersion").GetInt32(), afterAudit.GetProperty("primarySuppressed").GetInt32()));
            Assert.Equal(2, (await AuditAsync(before)).GetProperty("agreementVersion").GetInt32());
            Assert.Equal(2, await system.ScalarAsync("SELECT count(*) FROM anonymization.agreement_versions WHERE agreement_id = 'AGR-CRI' AND version IN (2, 3)"));
        }
        finally
        {
            await File.WriteAllTextAsync(file, original);
        }
    }

    [Fact]
    public async Task A_generalizing_agreement_publishes_regions_and_other_nationalities_that_classification_and_alerting_take_as_they_are()
    {
        var file = Path.Combine(system.AgreementsDirectory, "BRA.yaml");
        var original = await File.ReadAllTextAsync(file);
        // A week of its own, so no other test's Brazilian cells share its groups.
        var week = new DateOnly(2018, 1, 1).AddDays(7 * Random.Shared.Next(0, 150));
        var csv = string.Join("", new[]
        {
            ("Pacaraima", "venezuelana", 3), ("Boa Vista", "venezuelana", 4), ("Pacaraima", "angolana", 2), ("Boa Vista", "cubana", 2),
            ("Tabatinga", "venezuelana", 6),
        }.Select(c => $"{week:yyyy-MM-dd},{c.Item1},{c.Item2},Entrada regular,F,{c.Item3}\n"));
        try
        {
            await File.WriteAllTextAsync(file, original.Replace("version: 2", "version: 3").Replace("  ageBands: [\"0-17\", \"18-59\", \"60+\"]\n",
                "  ageBands: [\"0-17\", \"18-59\", \"60+\"]\n  borderPoints: { to: region, regions: { BR-RR: [Pacaraima, Boa Vista] } }\n  rareNationalities: { below: 5 }\n"));
            await system.Anonymization.DisposeAsync();
            await system.Anonymization.StartAsync();

            var submission = await SubmitAsync("BRA", "period,border_point,nationality,category,sex,count\n" + csv);

            var audit = await AuditAsync(submission);
            Assert.Equal((3, 5), (audit.GetProperty("agreementVersion").GetInt32(), audit.GetProperty("generalized").GetInt32()));
            // Series totals (and their by-sex cells): BR-RR × VEN 3 + 4 = 7, the rare Angolan and Cuban 2 + 2 = 4 as _O
            // (confidential), Tabatinga, which the agreement places in no region, as the country.
            Assert.Equal(6, await system.WaitForCountAsync(
                "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", 6, Patience, ("id", submission)));
            Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM classification.held_cells WHERE submission_id = @id", ("id", submission)));
            var series = new Dictionary<(string, string), long?>();
            await using (var cmd = system.Database.CreateCommand(
                "SELECT border_point, trim(nationality), count FROM classification.harmonized_observations WHERE submission_id = @id AND sex = '_T'"))
            {
                cmd.Parameters.AddWithValue("id", submission);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) series[(reader.GetString(0), reader.GetString(1))] = reader.IsDBNull(2) ? null : reader.GetInt64(2);
            }
            Assert.Equal(new Dictionary<(string, string), long?> { [("BR-RR", "VEN")] = 7, [("BR-RR", "_O")] = null, [("BRA", "VEN")] = 6 }, series);
            // Alerting stores every one of them under its series.
            Assert.Equal(6, await system.WaitForCountAsync("SELECT count(*) FROM alerting.cells WHERE submission_id = @id", 6, Patience, ("id", submission)));
        }
        finally
        {
            await File.WriteAllTextAsync(file, original);
            await system.Anonymization.DisposeAsync();
            await system.Anonymization.StartAsync();
        }
    }

    [Fact]
    public async Task An_invalid_agreement_stops_the_service_with_a_message_naming_the_file_and_the_field()
    {
        var directory = Directory.CreateTempSubdirectory("earlywarning-bad-agreements-").FullName;
        try
        {
            foreach (var f in Directory.GetFiles(system.AgreementsDirectory, "*.yaml")) File.Copy(f, Path.Combine(directory, Path.GetFileName(f)));
            var mexico = Path.Combine(directory, "MEX.yaml");
            await File.WriteAllTextAsync(mexico, (await File.ReadAllTextAsync(mexico)).Replace("threshold: 10", "threshold: 0"));
            await using var broken = new ServiceProcess("Anonymization", TestEnvironment.ServicePortBase + 1 + 100);
            foreach (var (key, value) in system.Anonymization.Environment) broken.Environment[key] = value;
            broken.Environment["Agreements__Directory"] = directory;

            var failure = await Assert.ThrowsAsync<InvalidOperationException>(broken.StartAsync);

            Assert.Contains("exited with 2", failure.Message);
            // Its last words may reach us just after the exit.
            await broken.WaitForOutputAsync(line => line.Contains("Invalid agreement, the service stops: MEX.yaml: published[0].disclosure.threshold: k must be at least 2"),
                TimeSpan.FromSeconds(10));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_agreement_changed_without_a_new_version_stops_the_service()
    {
        var directory = Directory.CreateTempSubdirectory("earlywarning-changed-agreements-").FullName;
        try
        {
            foreach (var f in Directory.GetFiles(system.AgreementsDirectory, "*.yaml")) File.Copy(f, Path.Combine(directory, Path.GetFileName(f)));
            var ecuador = Path.Combine(directory, "ECU.yaml");
            await File.WriteAllTextAsync(ecuador, (await File.ReadAllTextAsync(ecuador)).Replace("threshold: 5", "threshold: 3"));
            await using var changed = new ServiceProcess("Anonymization", TestEnvironment.ServicePortBase + 1 + 100);
            foreach (var (key, value) in system.Anonymization.Environment) changed.Environment[key] = value;
            changed.Environment["Agreements__Directory"] = directory;

            var failure = await Assert.ThrowsAsync<InvalidOperationException>(changed.StartAsync);

            Assert.Contains("exited with 2", failure.Message);
            await changed.WaitForOutputAsync(line => line.Contains("ECU.yaml: version: the file differs from version 2 of AGR-ECU as applied before"),
                TimeSpan.FromSeconds(10));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
