using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace EarlyWarning.Evaluation.Pipeline;

/// <summary>How far one submission has gone, from GET /api/submissions/{id}.</summary>
internal sealed record SubmissionState(Submission Submission, bool Evaluated, string Stage, int FailedBatches, string? FirstFailure);

/// <summary>
/// Waits until the whole pipeline is done: every submission released by its agreement and every released message
/// evaluated by Alerting (per-stage progress on Ingestion), no week waiting for the judging pass
/// (alerting.wide_judging_due empty), and nothing moving in Alerting's verdicts for a few seconds.
/// </summary>
internal sealed class PipelineWaiter(HttpClient http, Uri ingestion, string operatorKey, NpgsqlDataSource alerting)
{
    public TimeSpan Stable { get; init; } = TimeSpan.FromSeconds(5);

    public async Task WaitAsync(IReadOnlyList<Submission> submissions, TimeSpan timeout, TextWriter log, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var pending = submissions.ToList();
        var lastReport = TimeSpan.Zero;
        (long, long, DateTime?)? fingerprint = null;
        var stableSince = TimeSpan.Zero;
        while (true)
        {
            var states = new List<SubmissionState>();
            foreach (var s in pending) states.Add(await StateAsync(s, ct));
            var failed = states.Where(s => s.FailedBatches > 0).ToList();
            if (failed.Count > 0)
                throw new InvalidOperationException($"{failed.Count} submission(s) have batches failed for good, e.g. {failed[0].Submission.Country} {failed[0].Submission.Id} at {failed[0].Stage}: {failed[0].FirstFailure}");
            pending = states.Where(s => !s.Evaluated).Select(s => s.Submission).ToList();
            var (due, judgements, lastChange) = await AlertingStateAsync(ct);
            if (pending.Count == 0 && due == 0)
            {
                var now = (due, judgements, lastChange);
                if (fingerprint != now) { fingerprint = now; stableSince = clock.Elapsed; }
                else if (clock.Elapsed - stableSince >= Stable)
                {
                    log.WriteLine($"  pipeline done after {clock.Elapsed.TotalSeconds:0} s: every submission evaluated, nothing due for judging, {judgements:N0} verdicts, stable for {Stable.TotalSeconds:0} s");
                    return;
                }
            }
            else fingerprint = null;
            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(15))
            {
                lastReport = clock.Elapsed;
                var stages = states.Where(s => !s.Evaluated).GroupBy(s => s.Stage).Select(g => $"{g.Count()} {g.Key}");
                log.WriteLine($"  {clock.Elapsed.TotalSeconds,4:0} s: {submissions.Count - pending.Count}/{submissions.Count} submissions evaluated" +
                              $"{(pending.Count > 0 ? $" ({string.Join(", ", stages)})" : "")}; {due:N0} weeks due for the judging pass; {judgements:N0} verdicts");
            }
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"the pipeline did not finish within {timeout.TotalMinutes:0.#} min: {pending.Count} of {submissions.Count} submissions not evaluated " +
                    $"({string.Join("; ", states.Where(s => !s.Evaluated).Take(5).Select(s => $"{s.Submission.Country} {s.Submission.Id}: {s.Stage}"))}), " +
                    $"{due} weeks still due for the judging pass. See the services' logs.");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    private async Task<SubmissionState> StateAsync(Submission s, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(ingestion, $"api/submissions/{s.Id}"));
        request.Headers.Add("X-Api-Key", operatorKey);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) return new SubmissionState(s, false, $"status {(int)response.StatusCode}", 0, null);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return Read(s, doc.RootElement.GetProperty("progress"));
    }

    /// <summary>Reads a submission's progress: evaluated once its release is known and Alerting waits for none of its messages.</summary>
    internal static SubmissionState Read(Submission s, JsonElement progress)
    {
        var failed = 0;
        string? first = null;
        foreach (var stage in new[] { "anonymized", "classified", "evaluated" })
            if (progress.TryGetProperty(stage, out var p) && p.TryGetProperty("batchesFailed", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                failed += list.GetArrayLength();
                if (list.GetArrayLength() > 0 && first is null) first = list[0].GetRawText();
            }
        if (progress.GetProperty("batchesNotYetSent").GetInt64() > 0) return new SubmissionState(s, false, "in Ingestion's outbox", failed, first);
        var anonymized = progress.GetProperty("anonymized");
        if (anonymized.GetProperty("released").ValueKind == JsonValueKind.Null) return new SubmissionState(s, false, "anonymizing", failed, first);
        var released = anonymized.GetProperty("released").GetProperty("batches").GetInt64();
        foreach (var stage in new[] { "classified", "evaluated" })
        {
            var p = progress.GetProperty(stage);
            var waiting = p.GetProperty("batchesWaiting");
            var done = p.GetProperty("batchesDone").GetInt64();
            if (waiting.ValueKind == JsonValueKind.Null || waiting.GetInt64() > 0 || done < released)
                return new SubmissionState(s, false, stage == "classified" ? "classifying" : "evaluating", failed, first);
        }
        return new SubmissionState(s, true, "evaluated", failed, first);
    }

    private async Task<(long Due, long Judgements, DateTime? LastChange)> AlertingStateAsync(CancellationToken ct)
    {
        await using var cmd = alerting.CreateCommand(
            "SELECT (SELECT count(*) FROM alerting.wide_judging_due), (SELECT count(*) FROM alerting.judgements), (SELECT max(updated_at) FROM alerting.alerts)");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetDateTime(2));
    }
}
