using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EarlyWarning.Contracts;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class UnmappedReviewTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_unmapped_cell_is_held_as_written_and_once_its_mapping_is_added_a_replay_carries_it_to_alerting_exactly_once()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var category = $"Permiso Zeta {tag}";
        var (martian, lunar) = ($"Marciana{tag}", $"Lunar{tag}");
        // Totals only (no sex or age breakdown), so that the agreement releases each cell as it is, with no margins.
        var csv = new StringBuilder("period,border_point,nationality,category,sex,count\n");
        for (var w = 0; w < 4; w++)
        {
            var period = SyntheticSubmission.FirstWeek.AddDays(7 * w).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{period},{point},venezolanos,Autodenuncia,,{20 + w}\n");
            csv.Append(CultureInfo.InvariantCulture, $"{period},{point},venezolanos,{category},,{30 + w}\n");
            csv.Append(CultureInfo.InvariantCulture, $"{period},{point},{martian},Autodenuncia,,{40 + w}\n");
            csv.Append(CultureInfo.InvariantCulture, $"{period},{point},{lunar},Autodenuncia,,{50 + w}\n");
        }
        var submissionId = await SubmitAsync(csv.ToString());
        var id = ("id", (object)submissionId);

        // The mapped cells go on; the others are held as written, and two unknown nationalities stay two.
        Assert.Equal(4, await system.WaitForCountAsync("SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", 4, Patience, id));
        Assert.Equal(12, await system.WaitForCountAsync("SELECT count(*) FROM classification.held_cells WHERE submission_id = @id", 12, Patience, id));
        Assert.Equal(4, await system.WaitForCountAsync("SELECT count(*) FROM alerting.cells WHERE submission_id = @id", 4, Patience, id));
        var unmapped = await system.ClassificationApi.GetFromJsonAsync<JsonElement>("/api/review/unmapped?country=CHL");
        var listed = unmapped.EnumerateArray()
            .Select(v => (Kind: v.GetProperty("kind").GetString(), Written: v.GetProperty("written").GetString(), Cells: v.GetProperty("cells").GetInt64(), Events: v.GetProperty("events").GetInt64()))
            .Where(v => v.Written!.Contains(tag)).OrderBy(v => v.Written).ToList();
        Assert.Equal([("nationality", lunar, 4L, 206L), ("nationality", martian, 4L, 166L), ("category", category, 4L, 126L)], listed);
        // Free text may carry what a publisher typed by mistake: the log names a held value by its digest, never its text.
        Assert.DoesNotContain(system.Classification.Output, line => line.Contains(martian) || line.Contains(category));
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("nationality\n" + martian)))[..12];
        Assert.Contains(system.Classification.Output, line => line.Contains("#" + digest));

        // An operator adds the mappings and replays.
        TestPolicy.Append("mappings/CHL.yaml", $"  - regional: REGULARIZATION_GRANTED\n    national: [\"{category}\"]\n");
        var names = TestPolicy.Read("codelists/nationality-names.yaml");
        TestPolicy.Write("codelists/nationality-names.yaml", names.Replace("\nnames:\n", $"\nnames:\n  ZWE: [{martian}]\n  ATA: [{lunar}]\n"));
        var replay = await system.ClassificationApi.PostAsync("/api/review/replay?country=CHL", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True((await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32() >= 12);

        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM classification.held_cells WHERE submission_id = @id", id));
        Assert.Equal(16, await system.ScalarAsync("SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", id));
        Assert.Equal(12, await system.ScalarAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id AND replayed_at IS NOT NULL AND national_nationality IN (@m, @l, 'venezolanos')",
            id, ("m", martian), ("l", lunar)));
        Assert.Equal(16, await system.WaitForCountAsync("SELECT count(*) FROM alerting.cells WHERE submission_id = @id", 16, Patience, id));
        // The replayed cells carry the policy that mapped them, not the one that held them.
        Assert.Equal(2, await system.ScalarAsync("SELECT count(DISTINCT policy_digest) FROM classification.harmonized_observations WHERE submission_id = @id", id));
        Assert.Equal(2, await system.ScalarAsync(
            """
            SELECT count(*) FROM classification.policy_versions WHERE mapping_tables LIKE '%CHL:2%' AND policy_digest IN
                (SELECT policy_digest FROM classification.harmonized_observations WHERE submission_id = @id)
            """, id));

        // A second replay finds nothing, so nothing is published or stored twice.
        var again = await system.ClassificationApi.PostAsync("/api/review/replay?country=CHL", null);
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(2, await system.ScalarAsync(
            """
            SELECT count(*) FROM classification.outbox
            WHERE message_type = 'EarlyWarning.Contracts.ObservationsHarmonized' AND convert_from(body, 'UTF8')::json->>'submissionId' = @s
            """, ("s", submissionId.ToString())));
        Assert.Equal(16, await system.ScalarAsync("SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", id));
        Assert.Equal(16, await system.ScalarAsync("SELECT count(*) FROM alerting.cells WHERE submission_id = @id", id));
    }

    [Fact]
    public async Task The_replay_command_replays_held_cells_once_their_mapping_is_added()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        var category = $"Permiso Omega {Guid.NewGuid():N}"[..22];
        var csv = $"period,border_point,nationality,category,sex,count\n2024-02-05,{point},haitianos,{category},,33\n2024-02-12,{point},haitianos,{category},,35\n";
        var id = ("id", (object)await SubmitAsync(csv));
        Assert.Equal(2, await system.WaitForCountAsync("SELECT count(*) FROM classification.held_cells WHERE submission_id = @id", 2, Patience, id));

        TestPolicy.Append("mappings/CHL.yaml", $"  - regional: REGULARIZATION_GRANTED\n    national: [\"{category}\"]\n");
        var dll = Path.Combine(TestEnvironment.RepositoryRoot, "services", "Classification", "bin", TestEnvironment.Configuration, "net10.0", "EarlyWarning.Classification.dll");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet", [dll, "replay", "CHL"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["Classification__PolicyDirectory"] = TestPolicy.Directory;
        // As the service itself: its own database role (deploy/local passes it as EW_CLASSIFICATION__...).
        if (Environment.GetEnvironmentVariable("EW_CLASSIFICATION__Database__ConnectionString") is { } own) info.Environment["Database__ConnectionString"] = own;
        using var command = System.Diagnostics.Process.Start(info)!;
        var output = await command.StandardOutput.ReadToEndAsync();
        await command.WaitForExitAsync();

        Assert.True(command.ExitCode == 0, output + await command.StandardError.ReadToEndAsync());
        Assert.Contains("held cells replayed", output);
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM classification.held_cells WHERE submission_id = @id", id));
        Assert.Equal(2, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.cells WHERE submission_id = @id AND series_key LIKE '%|REGULARIZATION_GRANTED'", 2, Patience, id));
    }

    [Fact]
    public async Task A_replay_with_an_invalid_policy_file_is_refused_naming_the_file_and_field_and_the_policy_in_force_stays()
    {
        var original = TestPolicy.Read("mappings/PER.yaml");
        try
        {
            TestPolicy.Write("mappings/PER.yaml", original.Replace("regional: FORCED_RETURN", "regional: DEPORTADO"));
            var response = await system.ClassificationApi.PostAsync("/api/review/replay", null);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("mappings/PER.yaml", problem.GetProperty("file").GetString());
            Assert.StartsWith("rules[", problem.GetProperty("field").GetString());
        }
        finally
        {
            TestPolicy.Write("mappings/PER.yaml", original);
        }
        var policy = await system.ClassificationApi.GetFromJsonAsync<JsonElement>("/api/policy");
        Assert.Contains(policy.GetProperty("mappingTables").EnumerateArray(), t => t.GetProperty("country").GetString() == "PER");
    }

    [Fact]
    public async Task Many_concurrent_batches_sharing_mapped_and_unmapped_values_are_stored_without_a_single_deadlock()
    {
        const int batches = 40, rows = 250;
        var deadlocksBefore = await DeadlocksAsync();
        var point = SyntheticSubmission.NewBorderPoint();
        var submissionIds = Enumerable.Range(0, batches).Select(_ => Guid.NewGuid()).ToList();
        // Every batch shares the same categories, nationalities (two of them unmapped) and place: the writes many
        // batches share are exactly what deadlocked before.
        string[] nationalities = ["venezolana", "haitianos", "Nacionalidad Compartida Sin Mapa", "colombiana"];
        string[] categories = ["Autodenuncia", "Reconducción", "Categoría Compartida Sin Mapa", "Solicitud de refugio"];
        await Task.WhenAll(submissionIds.Select(async (submission, b) =>
        {
            var observations = Enumerable.Range(1, rows).Select(i => new AnonymizedObservation(i, SyntheticSubmission.FirstWeek.AddDays(7 * (i % 50)),
                point, nationalities[(i + b) % 4], categories[(i / 4 + b) % 4], i % 2 == 0 ? "F" : "M", null, 10 + i, false)).ToList();
            await system.SendAsync("classification-observations-anonymized",
                new ObservationsAnonymized(submission, "CHL", 1, 1, DateTimeOffset.UtcNow, observations), Guid.NewGuid());
        }));

        var stored = "SELECT (SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = ANY(@ids)) + (SELECT count(*) FROM classification.held_cells WHERE submission_id = ANY(@ids))";
        Assert.Equal(batches * rows, await system.WaitForCountAsync(stored, batches * rows, Patience, ("ids", submissionIds.ToArray())));
        Assert.True(await system.ScalarAsync("SELECT count(*) FROM classification.held_cells WHERE submission_id = ANY(@ids)", ("ids", submissionIds.ToArray())) > 0);
        // PostgreSQL's own count of deadlocks in this database (flushed to the statistics within a second).
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(deadlocksBefore, await DeadlocksAsync());
        Assert.DoesNotContain(system.Classification.Output, line => line.Contains("40P01") || line.Contains("deadlock", StringComparison.OrdinalIgnoreCase));
    }

    private Task<long> DeadlocksAsync() =>
        system.ScalarAsync("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");

    private async Task<Guid> SubmitAsync(string csv)
    {
        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(csv));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();
    }
}
