using System.Net.Http.Json;
using System.Text.Json;
using EarlyWarning.Contracts;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class FailedMessagesTests(SystemFixture system)
{
    private const string ClassificationEndpoint = "classification-observations-anonymized";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Parked_messages_are_listed_with_their_reasons_and_a_replay_takes_effect_exactly_once()
    {
        using var api = system.Client(system.Classification, await system.IssueKeyAsync("operator"));
        using (var anonymous = system.Client(system.Classification, apiKey: null))
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/operator/failed-messages")).StatusCode);
        var poisonId = Guid.NewGuid();
        var poison = Batch(Guid.NewGuid(), rows: 2) is var b ? b with { Observations = [b.Observations[0], b.Observations[1] with { Count = -7 }] } : null!;
        await system.SendAsync(ClassificationEndpoint, poison, poisonId);
        var parked = await WaitForParkedAsync(api, poisonId);
        Assert.Equal(ClassificationEndpoint + "_error", parked.GetProperty("queue").GetString());
        Assert.Contains("InvalidBatchException: line 2: negative count -7", parked.GetProperty("reason").GetString());

        // A sound batch parked twice, as a replay that died between its publish and its acknowledgement leaves it.
        var submissionId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var batch = Batch(submissionId, rows: 10);
        await system.SendAsync(ClassificationEndpoint + "_error", batch, messageId);
        await system.SendAsync(ClassificationEndpoint + "_error", batch, messageId);
        await WaitForParkedAsync(api, messageId, copies: 2);

        var replay = await api.PostAsync($"/api/operator/failed-messages/replay?messageId={messageId}", null);
        replay.EnsureSuccessStatusCode();
        var replayed = JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement.GetProperty("replayed");
        Assert.Equal(2, replayed.GetProperty(ClassificationEndpoint + "_error").GetInt32());

        Assert.Equal(10, await system.WaitForCountAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", 10, Patience, ("id", submissionId)));
        await system.Classification.WaitForOutputAsync(
            line => line.Contains("already classified") && line.Contains(submissionId.ToString()), Patience);
        Assert.Equal(10, await system.ScalarAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", ("id", submissionId)));
        Assert.Equal(1, await system.ScalarAsync(
            "SELECT count(*) FROM classification.outbox WHERE message_type = 'EarlyWarning.Contracts.ObservationsHarmonized' AND convert_from(body, 'UTF8')::json->>'submissionId' = @id", ("id", submissionId.ToString())));
        // The poison batch was not asked for: it is still parked, with its reason.
        await WaitForParkedAsync(api, poisonId);
        await system.DrainQueueAsync(ClassificationEndpoint + "_error");
    }

    private static async Task<JsonElement> WaitForParkedAsync(HttpClient api, Guid messageId, int copies = 1)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var listed = (await api.GetFromJsonAsync<JsonElement[]>("/api/operator/failed-messages"))!
                .Where(m => m.GetProperty("messageId").GetString() == messageId.ToString()).ToList();
            if (listed.Count >= copies) return listed[0];
            Assert.True(DateTime.UtcNow < deadline, $"message {messageId} was not listed {copies} time(s) as parked");
            await Task.Delay(300);
        }
    }

    private static ObservationsAnonymized Batch(Guid submissionId, int rows)
    {
        var point = SyntheticSubmission.NewBorderPoint();
        return new(submissionId, "CHL", 1, 1, DateTimeOffset.UtcNow,
            Enumerable.Range(1, rows).Select(i => new AnonymizedObservation(i, SyntheticSubmission.FirstWeek.AddDays(7 * i), point,
                "venezolana", "Ingreso regular", "F", null, 10 + i, false)).ToList());
    }
}
