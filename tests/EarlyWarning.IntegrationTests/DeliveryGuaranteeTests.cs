using System.Net;
using System.Net.Sockets;
using EarlyWarning.Contracts;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class DeliveryGuaranteeTests(SystemFixture system)
{
    private const string ClassificationEndpoint = "classification-observations-anonymized";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_batch_delivered_twice_is_stored_once_and_the_second_delivery_is_a_no_op()
    {
        var submissionId = Guid.NewGuid();
        var batch = AnonymizedBatch(submissionId, SyntheticSubmission.NewBorderPoint(), rows: 50);
        var messageId = Guid.NewGuid();

        await system.SendAsync(ClassificationEndpoint, batch, messageId);
        await system.SendAsync(ClassificationEndpoint, batch, messageId);

        await system.Classification.WaitForOutputAsync(
            line => line.Contains("already classified") && line.Contains(submissionId.ToString()), Patience);
        Assert.Equal(50, await system.ScalarAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", ("id", submissionId)));
        Assert.Equal(1, await system.ScalarAsync("SELECT count(*) FROM classification.inbox WHERE message_id = @id", ("id", messageId)));
        // Downstream, Alerting received the harmonized batch once.
        Assert.Equal(50, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.cells WHERE submission_id = @id", 50, Patience, ("id", submissionId)));
        Assert.Equal(1, await system.ScalarAsync(
            "SELECT count(*) FROM classification.outbox WHERE message_type = 'EarlyWarning.Contracts.ObservationsHarmonized' AND convert_from(body, 'UTF8')::json->>'submissionId' = @id", ("id", submissionId.ToString())));
    }

    [Fact]
    public async Task A_poison_batch_lands_in_the_error_queue_with_its_reason_and_the_pipeline_keeps_moving()
    {
        var poisonId = Guid.NewGuid();
        var poison = AnonymizedBatch(Guid.NewGuid(), SyntheticSubmission.NewBorderPoint(), rows: 3) is var b
            ? b with { Observations = [b.Observations[0], b.Observations[1] with { Count = -7 }, b.Observations[2]] }
            : null!;

        await system.SendAsync(ClassificationEndpoint, poison, poisonId);
        var point = SyntheticSubmission.NewBorderPoint();
        var response = await system.IngestionApi.PostAsync("/api/submissions?country=CHL",
            SyntheticSubmission.Content(SyntheticSubmission.Csv(point, weeks: 4)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        Assert.Equal(20, await system.WaitForCountAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE border_point = @p",
            20, Patience, ("p", "CHL-" + point.ToUpperInvariant().Replace(' ', '-'))));
        var deadline = DateTime.UtcNow + Patience;
        List<(IDictionary<string, object?> Headers, string Body)> errors = [];
        while (!errors.Any(e => e.Body.Contains(poisonId.ToString())) && DateTime.UtcNow < deadline)
        {
            errors.AddRange(await system.DrainQueueAsync(ClassificationEndpoint + "_error"));
            await Task.Delay(200);
        }
        var (headers, _) = Assert.Single(errors, e => e.Body.Contains(poisonId.ToString()));
        Assert.True(headers.TryGetValue("MT-Fault-Message", out var fault), "headers: " + string.Join(", ", headers.Select(h => h.Key + "=" + (h.Value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : h.Value))));
        var reason = System.Text.Encoding.UTF8.GetString((byte[])fault!);
        Assert.Contains("negative count -7", reason);
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM classification.inbox WHERE message_id = @id", ("id", poisonId)));
    }

    [Fact]
    public async Task A_consumer_killed_in_the_middle_of_a_stream_of_batches_loses_nothing_and_stores_nothing_twice()
    {
        var point = SyntheticSubmission.NewBorderPoint();
        const int submissions = 30, weeksEach = 40, batchSize = 10;
        // Released per week: the Venezuelan total and its two sex cells, the Haitian total and its one sex cell.
        var expected = submissions * weeksEach * 5;
        var harmonizedHere = "SELECT count(*) FROM classification.harmonized_observations WHERE border_point = @p";
        var p = ("p", (object)("CHL-" + point.ToUpperInvariant().Replace(' ', '-')));

        var posting = Task.Run(async () =>
        {
            for (var i = 0; i < submissions; i++)
            {
                // 1,200 weeks in all: they start in 2001 so that the last is not in the future.
                var csv = SyntheticSubmission.Csv(point, weeksEach, firstWeek: i * weeksEach, start: new DateOnly(2001, 1, 1));
                var response = await system.IngestionApi.PostAsync($"/api/submissions?country=CHL&batchSize={batchSize}", SyntheticSubmission.Content(csv));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
        });
        // Kill Classification once it is part-way through the stream.
        var before = await system.WaitForCountAsync(harmonizedHere, 200, Patience, p);
        Assert.True(before >= 200, "the stream never started");
        system.Classification.Kill();
        await posting;
        var whileDown = await system.ScalarAsync(harmonizedHere, p);
        Assert.True(whileDown < expected, "Classification finished before it was killed; the test proves nothing");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await system.Classification.StartAsync();

        Assert.Equal(expected, await system.WaitForCountAsync(harmonizedHere, expected, Patience, p));
        // Every submission was released once, each released cell was stored once, and every cell also reached Alerting.
        Assert.Equal(submissions, await system.ScalarAsync(
            """
            SELECT count(*) FROM anonymization.submission_audit a
            WHERE a.submission_id IN (SELECT submission_id FROM ingestion.observations WHERE border_point = @raw)
              AND a.released = (SELECT count(*) FROM classification.harmonized_observations h WHERE h.submission_id = a.submission_id)
            """, ("raw", point)));
        Assert.Equal(expected, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.cells WHERE series_key LIKE '%' || @p || '%'", expected, Patience, p));
    }

    [Fact]
    public async Task A_message_committed_to_the_outbox_but_not_yet_published_when_ingestion_died_is_published_on_restart_with_its_id()
    {
        // The state a crash between the commit and the publish leaves behind: an undispatched outbox row.
        system.Ingestion.Kill();
        var messageId = Guid.NewGuid();
        var submissionId = Guid.NewGuid();
        var point = SyntheticSubmission.NewBorderPoint();
        var batch = new ObservationsSubmitted(submissionId, "CHL", 1, 1, DateTimeOffset.UtcNow,
            Enumerable.Range(1, 10).Select(i => new RawObservation(i, SyntheticSubmission.FirstWeek.AddDays(7 * i), point,
                "venezolana", "Ingreso regular", "M", null, 20 + i, null)).ToList());
        await using (var cmd = system.Database.CreateCommand(
            "INSERT INTO ingestion.outbox (message_id, message_type, body) VALUES (@id, @type, convert_to(@body, 'UTF8'))"))
        {
            cmd.Parameters.AddWithValue("id", messageId);
            cmd.Parameters.AddWithValue("type", typeof(ObservationsSubmitted).FullName!);
            cmd.Parameters.AddWithValue("body", System.Text.Json.JsonSerializer.Serialize(batch, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
            await cmd.ExecuteNonQueryAsync();
        }

        await system.Ingestion.StartAsync();

        Assert.Equal(1, await system.WaitForCountAsync(
            "SELECT count(*) FROM anonymization.inbox WHERE message_id = @id", 1, Patience, ("id", messageId)));
        // Ten weeks, each released as its series total and its one cell by sex.
        Assert.Equal(20, await system.WaitForCountAsync(
            "SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", 20, Patience, ("id", submissionId)));
        // Marked as published once the broker confirmed it (the mark commits just after the confirm).
        Assert.Equal(1, await system.WaitForCountAsync(
            "SELECT count(*) FROM ingestion.outbox WHERE message_id = @id AND dispatched_at IS NOT NULL", 1, Patience, ("id", messageId)));
    }

    [Fact]
    public async Task A_service_that_cannot_bind_its_port_exits_without_taking_a_message_and_its_restart_delivers_it()
    {
        var submissionId = Guid.NewGuid();
        var harmonized = ("SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = @id", ("id", (object)submissionId));
        system.Classification.Kill();
        // Another process holds the port Classification listens on, as after a crash whose socket lingers.
        using var squatter = new TcpListener(IPAddress.Loopback, system.Classification.BaseAddress.Port);
        squatter.Start();
        await system.SendAsync(ClassificationEndpoint, AnonymizedBatch(submissionId, SyntheticSubmission.NewBorderPoint(), rows: 20), Guid.NewGuid());
        var waiting = await WaitForDepthAsync(ClassificationEndpoint, atLeast: 1);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(system.Classification.StartAsync);

        Assert.Contains("address already in use", failure.Message, StringComparison.OrdinalIgnoreCase);
        system.Classification.Kill();
        // The process had the database and the broker within reach: only the order of start-up kept the message.
        Assert.Equal(waiting, await WaitForDepthAsync(ClassificationEndpoint, atLeast: waiting));
        Assert.Equal(0, await system.ScalarAsync(harmonized.Item1, harmonized.Item2));
        Assert.DoesNotContain(await system.DrainQueueIfAnyAsync(ClassificationEndpoint + "_error"), e => e.Body.Contains(submissionId.ToString()));

        squatter.Stop();
        await system.Classification.StartAsync();
        Assert.Equal(20, await system.WaitForCountAsync(harmonized.Item1, 20, Patience, harmonized.Item2));
    }

    /// <summary>Ready messages only: a message a dying consumer held comes back once its connection closes.</summary>
    private async Task<uint> WaitForDepthAsync(string queue, uint atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        uint depth;
        while ((depth = await system.QueueDepthAsync(queue)) < atLeast && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        return depth;
    }

    private static ObservationsAnonymized AnonymizedBatch(Guid submissionId, string borderPoint, int rows) =>
        new(submissionId, "CHL", 1, 1, DateTimeOffset.UtcNow,
            Enumerable.Range(1, rows).Select(i => new AnonymizedObservation(i, SyntheticSubmission.FirstWeek.AddDays(7 * i), borderPoint,
                "venezolana", "Ingreso regular", "F", null, 10 + i, false)).ToList());
}
