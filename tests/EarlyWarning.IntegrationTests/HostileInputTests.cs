using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace EarlyWarning.IntegrationTests;

[Collection(SystemCollection.Name)]
public sealed class HostileInputTests(SystemFixture system, ITestOutputHelper output)
{
    private static readonly string[] Queues = ["anonymization-observations-submitted", "classification-observations-anonymized", "alerting-observations-harmonized"];

    [Fact]
    public async Task A_corpus_of_over_two_thousand_hostile_inputs_gets_only_4xx_or_202_and_everything_accepted_reaches_harmonized_storage()
    {
        var corpus = HostileInputs.Generate(DateOnly.FromDateTime(DateTime.UtcNow), SystemFixture.IngestionBodyLimit);
        Assert.True(corpus.Count >= 2000, $"the corpus has {corpus.Count} inputs");
        var queuesBefore = await DepthsAsync();

        var answers = new ConcurrentBag<(HostileInput Input, int Status, string? MediaType, Guid? Submission, int Rows)>();
        await Parallel.ForEachAsync(corpus, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (input, ct) =>
        {
            using var content = new ByteArrayContent(input.Body);
            if (input.ContentType.Length > 0 && MediaTypeHeaderValue.TryParse(input.ContentType, out _))
                content.Headers.TryAddWithoutValidation("Content-Type", input.ContentType);
            else if (input.ContentType.Length > 0)
                content.Headers.TryAddWithoutValidation("Content-Type", input.ContentType);
            HttpResponseMessage response;
            try
            {
                response = await system.IngestionApi.PostAsync($"/api/submissions?{input.Query}", content, ct);
            }
            catch (HttpRequestException) when (input.Body.Length > SystemFixture.IngestionBodyLimit)
            {
                // Refused (413) and the connection closed before the whole body was sent: nothing to read.
                answers.Add((input, 413, "application/problem+json", null, 0));
                return;
            }
            Guid? submission = null;
            var rows = 0;
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var receipt = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                submission = receipt.GetProperty("submissionId").GetGuid();
                rows = receipt.GetProperty("observations").GetInt32();
            }
            answers.Add((input, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, submission, rows));
        });

        foreach (var group in answers.GroupBy(a => a.Status).OrderBy(g => g.Key))
            output.WriteLine($"{group.Key}: {group.Count()} ({string.Join(", ", group.GroupBy(a => a.Input.Name).Select(g => $"{g.Key} {g.Count()}").Take(12))})");
        Assert.Empty(answers.Where(a => a.Status >= 500).Select(a => $"{a.Status} for {a.Input.Name}"));
        Assert.All(answers.Where(a => a.Status != 202), a =>
        {
            Assert.InRange(a.Status, 400, 499);
            Assert.Equal("application/problem+json", a.MediaType);
        });

        var accepted = answers.Where(a => a.Submission is not null).ToList();
        Assert.NotEmpty(accepted);
        var rows = accepted.Sum(a => a.Rows);
        var ids = accepted.Select(a => a.Submission!.Value).ToArray();
        var idsParameter = ("ids", (object)ids);
        // Every accepted submission with rows (one with a header alone has nothing to send on) is released by its
        // agreement, as published cells (totals and breakdowns) ...
        var withRows = accepted.Count(a => a.Rows > 0);
        Assert.Equal(withRows, await system.WaitForCountAsync(
            "SELECT count(*) FROM anonymization.submission_audit WHERE submission_id = ANY(@ids)", withRows, TimeSpan.FromMinutes(3), idsParameter));
        var released = await system.ScalarAsync(
            "SELECT sum(released + deleted) FROM anonymization.submission_audit WHERE submission_id = ANY(@ids)", idsParameter);
        // ... and every released cell is stored by Classification: harmonized, or held as written until its values are mapped.
        var stored = await system.WaitForCountAsync(
            """
            SELECT (SELECT count(*) FROM classification.harmonized_observations WHERE submission_id = ANY(@ids))
                 + (SELECT count(*) FROM classification.held_cells WHERE submission_id = ANY(@ids))
            """, released, TimeSpan.FromMinutes(3), idsParameter);
        output.WriteLine($"{accepted.Count} submissions accepted with {rows} rows; {released} cells released; {stored} stored (harmonized or held)");
        Assert.Equal(released, stored);
        // Every harmonized batch was also judged by Alerting (its inbox holds the id of each harmonized message).
        const string Harmonized = "CASE WHEN o.message_type = 'EarlyWarning.Contracts.ObservationsHarmonized' THEN (convert_from(o.body, 'UTF8')::json->>'submissionId')::uuid END = ANY(@ids)";
        var sent = await system.ScalarAsync($"SELECT count(*) FROM classification.outbox o WHERE {Harmonized}", idsParameter);
        Assert.Equal(sent, await system.WaitForCountAsync(
            $"SELECT count(*) FROM classification.outbox o WHERE {Harmonized} AND EXISTS (SELECT 1 FROM alerting.inbox i WHERE i.message_id = o.message_id)",
            sent, TimeSpan.FromMinutes(2), idsParameter));

        Assert.Equal(queuesBefore, await DepthsAsync());
        foreach (var service in new[] { system.Ingestion, system.Anonymization, system.Classification, system.Alerting })
        {
            using var http = new HttpClient { BaseAddress = service.BaseAddress };
            Assert.True((await http.GetAsync("/health/ready")).IsSuccessStatusCode, $"{service.Name} is not ready");
        }
    }

    private async Task<Dictionary<string, uint>> DepthsAsync()
    {
        var depths = new Dictionary<string, uint>();
        foreach (var queue in Queues)
        foreach (var suffix in new[] { "_error", "_dead" })
            depths[queue + suffix] = await system.QueueDepthAsync(queue + suffix);
        return depths;
    }
}
