using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace EarlyWarning.IntegrationTests;

/// <summary>Releases of one country: serialized where they share a group, side by side where they do not, numbered in the order they hold their groups.</summary>
[Collection(SystemCollection.Name)]
public sealed class ReleaseOrderTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string Released = "SELECT count(*) FROM anonymization.submission_audit WHERE submission_id = @id";

    private async Task<Guid> PostAsync(string borderPoint, int weeks)
    {
        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(SyntheticSubmission.Csv(borderPoint, weeks)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();
    }

    private Task<long> VersionAsync(Guid submission) =>
        system.ScalarAsync("SELECT release_version FROM anonymization.submission_audit WHERE submission_id = @id", ("id", submission));

    [Fact]
    public async Task A_release_waits_for_one_holding_its_group_while_a_release_of_other_groups_goes_ahead_and_the_waiting_one_is_numbered_later()
    {
        var shared = SyntheticSubmission.NewBorderPoint();
        var first = await PostAsync(shared, weeks: 2);
        Assert.Equal(1, await system.WaitForCountAsync(Released, 1, Patience, ("id", first)));

        // A release in progress on the same groups, as another Anonymization instance would hold them.
        await using var holder = await system.Database.OpenConnectionAsync();
        await using var inProgress = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT count(*) FROM (SELECT 1 FROM anonymization.release_groups WHERE submission_id = @id FOR UPDATE) held", holder, inProgress))
        {
            hold.Parameters.AddWithValue("id", first);
            Assert.True((long)(await hold.ExecuteScalarAsync())! > 0, "the first release recorded no group");
        }
        var waiting = await PostAsync(shared, weeks: 2);
        Assert.Equal(1, await system.WaitForCountAsync(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO release_groups%'", 1, Patience));
        var elsewhere = await PostAsync(SyntheticSubmission.NewBorderPoint(), weeks: 2);
        Assert.Equal(1, await system.WaitForCountAsync(Released, 1, Patience, ("id", elsewhere)));
        Assert.Equal(0, await system.ScalarAsync(Released, ("id", waiting)));

        await inProgress.RollbackAsync();

        Assert.Equal(1, await system.WaitForCountAsync(Released, 1, Patience, ("id", waiting)));
        Assert.True(await VersionAsync(waiting) > await VersionAsync(elsewhere), "the release that waited drew its number before it held its groups");
        Assert.True(await VersionAsync(waiting) > await VersionAsync(first));
    }
}
