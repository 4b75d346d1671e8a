using EarlyWarning.Classification.Mapping;
using EarlyWarning.Classification.Policy;
using EarlyWarning.Contracts;
using EarlyWarning.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EarlyWarning.Classification;

/// <summary>What a replay did.</summary>
internal sealed record ReplayResult(string PolicyDigest, int Replayed, int StillHeld, int Messages);

/// <summary>
/// Classifies the held cells again with the policy in force. The cells that now map are stored, removed from the
/// review store and published to Alerting as a new message, all in one transaction: each continues down the
/// pipeline exactly once (a new message id, so no inbox mistakes it for a redelivery; the held row is gone, so no
/// second replay takes it again; replays are serialized by a lock).
/// </summary>
internal sealed class HeldCellReplay(TransactionalWork work, PolicyProvider policies, IOptions<ClassificationOptions> options, ILogger<HeldCellReplay> logger)
{
    public async Task<ReplayResult> ReplayAsync(string? country, CancellationToken ct)
    {
        var policy = policies.Current;
        var replayed = 0;
        var stillHeld = 0;
        var messageCount = 0;
        await work.ExecuteAsync(async (connection, _, messages) =>
        {
            await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('classification:replay'))", connection))
                await lockCmd.ExecuteNonQueryAsync(ct);
            var held = await HeldCellStore.TakeAsync(connection, country, ct);
            foreach (var group in held.GroupBy(h => (h.SubmissionId, h.ReportingCountry, h.BatchNumber, h.BatchCount, h.AcceptedAt)))
            {
                var (submission, reporting, number, count, acceptedAt) = group.Key;
                var batch = new ObservationsAnonymized(submission, reporting, number, count, acceptedAt, group.Select(h => h.Row).ToList());
                var classified = Classifier.Classify(reporting, batch.Observations, policy, options.Value.UnlistedPlaces);
                stillHeld += classified.Held.Count;
                // A cell still held says why now: the values this policy maps no longer count among its reasons.
                await HeldCellStore.UpdateReasonsAsync(connection, submission, classified, ct);
                if (classified.Harmonized.Count == 0) continue;
                await HarmonizedStore.WriteAsync(connection, batch, classified, group.First().TraceId, replayed: true, ct);
                await HeldCellStore.ReleaseAsync(connection, submission, classified.Harmonized.Select(h => h.Observation.Line), ct);
                messages.Add(new ObservationsHarmonized(submission, reporting, number, count, acceptedAt,
                    classified.Harmonized.Select(h => h.Observation).ToList()));
                replayed += classified.Harmonized.Count;
                messageCount++;
            }
        }, ct);
        ClassificationMetrics.Replayed.Add(replayed);
        logger.LogInformation("Replay with policy {Digest}: {Replayed} held cells harmonized and passed on in {Messages} messages; {StillHeld} still held",
            policy.Digest, replayed, messageCount, stillHeld);
        return new ReplayResult(policy.Digest, replayed, stillHeld, messageCount);
    }
}
