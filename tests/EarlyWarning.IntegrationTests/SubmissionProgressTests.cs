using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EarlyWarning.Contracts;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class SubmissionProgressTests(SystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<JsonElement> WaitForProgressAsync(Guid submissionId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var status = await system.IngestionApi.GetFromJsonAsync<JsonElement>($"/api/submissions/{submissionId}");
            if (done(status.GetProperty("progress")) || DateTime.UtcNow > deadline) return status.GetProperty("progress");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_submission_shows_its_own_rows_received_anonymized_classified_and_evaluated()
    {
        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL&batchSize=10",
            SyntheticSubmission.Content(SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 12)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();

        var progress = await WaitForProgressAsync(id, p =>
            p.GetProperty("anonymized").GetProperty("released").ValueKind == JsonValueKind.Object &&
            p.GetProperty("evaluated").GetProperty("batchesWaiting").GetInt64() == 0);

        // Ingestion's four batches of rows reach the agreement, which releases the submission as published cells
        // (series totals and breakdowns) in messages of its own: the later stages count those.
        Assert.Equal(36, progress.GetProperty("received").GetInt32());
        var anonymized = progress.GetProperty("anonymized");
        Assert.Equal(36, anonymized.GetProperty("rows").GetInt64());
        Assert.Equal(4, anonymized.GetProperty("batchesDone").GetInt64());
        Assert.Equal(0, anonymized.GetProperty("batchesWaiting").GetInt64());
        var released = anonymized.GetProperty("released");
        var cells = released.GetProperty("cells").GetInt64();
        Assert.Equal(await system.ScalarAsync("SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", ("id", id)), cells);
        Assert.True(cells > 36, $"{cells} published cells: twelve weeks of two series, with their breakdowns by sex");
        foreach (var stage in new[] { "classified", "evaluated" })
        {
            Assert.Equal(cells, progress.GetProperty(stage).GetProperty("cells").GetInt64());
            Assert.Equal(released.GetProperty("batches").GetInt64(), progress.GetProperty(stage).GetProperty("batchesDone").GetInt64());
            Assert.Equal(0, progress.GetProperty(stage).GetProperty("batchesWaiting").GetInt64());
        }
        Assert.Equal(0, progress.GetProperty("batchesNotYetSent").GetInt64());
    }

    [Fact]
    public async Task A_batch_that_fails_for_good_at_a_stage_is_shown_failed_with_the_reason()
    {
        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL",
            SyntheticSubmission.Content(SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 2)));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();
        // A broken batch of that submission sent straight to Classification, numbered beyond its release's own.
        var poison = new ObservationsAnonymized(id, "CHL", 1000, 1000, DateTimeOffset.UtcNow,
            [new AnonymizedObservation(1, SyntheticSubmission.FirstWeek, "X", "VEN", "Ingreso regular", "F", null, -7, false)]);
        await system.SendAsync("classification-observations-anonymized", poison, Guid.NewGuid());

        var progress = await WaitForProgressAsync(id, p => p.GetProperty("classified").GetProperty("batchesFailed").GetArrayLength() == 1);

        var failed = Assert.Single(progress.GetProperty("classified").GetProperty("batchesFailed").EnumerateArray());
        Assert.Equal(1000, failed.GetProperty("batch").GetInt32());
        Assert.Contains("negative count -7", failed.GetProperty("reason").GetString());
        // Take the poison batch out of the error queue, so that no other test finds it there. Its fault may reach
        // Ingestion before the batch reaches the error queue (before the queue even exists): wait for it.
        var deadline = DateTime.UtcNow + Patience;
        while (!(await system.DrainQueueIfAnyAsync("classification-observations-anonymized_error")).Any(m => m.Body.Contains(id.ToString())) && DateTime.UtcNow < deadline)
            await Task.Delay(200);
    }
}
