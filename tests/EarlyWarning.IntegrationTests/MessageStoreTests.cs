using System.Net;
using System.Text;
using EarlyWarning.Contracts;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class MessageStoreTests(SystemFixture system)
{
    private const string ClassificationEndpoint = "classification-observations-anonymized";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Outbox_rows_that_cannot_be_published_are_set_aside_with_their_reason_and_the_rows_after_them_are_published()
    {
        // Over the broker's 16 MiB: RabbitMQ would refuse it and close the channel each time it is offered.
        var tooLarge = Guid.NewGuid();
        var padding = new string('x', 17 * 1024 * 1024);
        await InsertOutboxRowAsync(tooLarge, typeof(ObservationsSubmitted).FullName!, $$"""{"submissionId":"{{Guid.NewGuid()}}","padding":"{{padding}}"}""");
        var unknownType = Guid.NewGuid();
        await InsertOutboxRowAsync(unknownType, "EarlyWarning.Contracts.NoSuchMessage", "{}");
        var notJson = Guid.NewGuid();
        await InsertOutboxRowAsync(notJson, typeof(ObservationsSubmitted).FullName!, "{\"submissionId\": ");

        var point = SyntheticSubmission.NewBorderPoint();
        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL", SyntheticSubmission.Content(SyntheticSubmission.Csv(point, weeks: 4)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        Assert.Equal(12, await system.WaitForCountAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE border_point = @p",
            12, Patience, ("p", "CHL-" + point.ToUpperInvariant().Replace(' ', '-'))));
        Assert.Contains("larger than the broker takes", await SetAsideReasonAsync(tooLarge));
        Assert.Contains("unknown message type 'EarlyWarning.Contracts.NoSuchMessage'", await SetAsideReasonAsync(unknownType));
        Assert.Contains("not valid JSON", await SetAsideReasonAsync(notJson));
    }

    [Fact]
    public async Task Pruning_deletes_inbox_rows_older_than_the_window_and_a_redelivery_within_it_is_still_a_no_op()
    {
        var submissionId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var batch = new ObservationsAnonymized(submissionId, "CHL", 1, 1, DateTimeOffset.UtcNow,
            Enumerable.Range(1, 20).Select(i => new AnonymizedObservation(i, SyntheticSubmission.FirstWeek.AddDays(7 * i),
                SyntheticSubmission.NewBorderPoint(), "venezolana", "Ingreso regular", "F", null, 10 + i, false)).ToList());
        await system.SendAsync(ClassificationEndpoint, batch, messageId);
        Assert.Equal(20, await system.WaitForCountAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", 20, Patience, ("id", submissionId)));

        // A message processed eight days ago, outside the default seven-day window.
        var old = Guid.NewGuid();
        await using (var cmd = system.Database.CreateCommand(
            "INSERT INTO classification.inbox (message_id, consumer, processed_at) VALUES (@id, 'ObservationsAnonymizedConsumer', now() - interval '8 days')"))
        {
            cmd.Parameters.AddWithValue("id", old);
            await cmd.ExecuteNonQueryAsync();
        }
        var deadline = DateTime.UtcNow + Patience;
        while (await system.ScalarAsync("SELECT count(*) FROM classification.inbox WHERE message_id = @id", ("id", old)) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the inbox was not pruned");
            await Task.Delay(200);
        }

        Assert.Equal(1, await system.ScalarAsync("SELECT count(*) FROM classification.inbox WHERE message_id = @id", ("id", messageId)));
        await system.SendAsync(ClassificationEndpoint, batch, messageId);
        await system.Classification.WaitForOutputAsync(
            line => line.Contains("already classified") && line.Contains(submissionId.ToString()), Patience);
        Assert.Equal(20, await system.ScalarAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", ("id", submissionId)));
    }

    private async Task InsertOutboxRowAsync(Guid messageId, string type, string body)
    {
        await using var cmd = system.Database.CreateCommand(
            "INSERT INTO ingestion.outbox (message_id, message_type, body) VALUES (@id, @type, @body)");
        cmd.Parameters.AddWithValue("id", messageId);
        cmd.Parameters.AddWithValue("type", type);
        cmd.Parameters.AddWithValue("body", Encoding.UTF8.GetBytes(body));
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<string> SetAsideReasonAsync(Guid messageId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await using var cmd = system.Database.CreateCommand(
                "SELECT last_error FROM ingestion.outbox WHERE message_id = @id AND set_aside_at IS NOT NULL AND dispatched_at IS NULL");
            cmd.Parameters.AddWithValue("id", messageId);
            if (await cmd.ExecuteScalarAsync() is string reason) return reason;
            Assert.True(DateTime.UtcNow < deadline, $"outbox message {messageId} was not set aside");
            await Task.Delay(200);
        }
    }
}
