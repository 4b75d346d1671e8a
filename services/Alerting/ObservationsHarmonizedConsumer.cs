using EarlyWarning.ServiceDefaults.Telemetry;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using EarlyWarning.Alerting.Alerts;
using EarlyWarning.Alerting.Detection;
using EarlyWarning.Contracts;
using EarlyWarning.Detection.Surveillance;
using Npgsql;
using EarlyWarning.ServiceDefaults.Messaging;
using MassTransit;

namespace EarlyWarning.Alerting;

/// <summary>
/// Adds a harmonized batch to the series it touches, judges again the weeks it changed and the weeks whose
/// history they are, and brings the series' alerts in line with the surges the verdicts now show.
/// </summary>
internal sealed class ObservationsHarmonizedConsumer(
    TransactionalWork work,
    SeriesJudges judges,
    SeriesJudging judging) : IConsumer<ObservationsHarmonized>
{


    public async Task Consume(ConsumeContext<ObservationsHarmonized> context)
    {
        var batch = context.Message;
        if (batch.Observations is null || batch.ReportingCountry is not { Length: 3 })
            throw new InvalidBatchException("the batch has no observations or no valid reporting country");
        var raised = 0;
        var traceId = Activity.Current?.TraceId.ToString();
        var ct = context.CancellationToken;

        var processed = await work.ExecuteOnceAsync(context.RequireMessageId(), nameof(ObservationsHarmonizedConsumer),
            async (connection, _, messages) =>
            {
                messages.Add(new SubmissionProgressed(batch.SubmissionId, "evaluated", batch.BatchNumber, batch.BatchCount,
                    batch.Observations.Count, DateTimeOffset.UtcNow));
                await WideJudgingQueue.RecordBatchAsync(connection, batch.SubmissionId, batch.BatchNumber, batch.BatchCount, ct);
                if (batch.Observations.Count == 0) return;
                var levels = judges.Levels;
                var finest = batch.Observations.Select(o => SeriesKey.Of(batch.ReportingCountry, o)).Distinct().ToList();
                // The finest series first, then those that sum many of them (a border point, a country total, a nationality
                // across the region): many batches touch the latter, so they are locked (and their totals updated) only for
                // the short end of the transaction. All finest locks are taken before any wide one: no deadlock.
                await SeriesStore.LockAsync(connection, finest.SelectMany(k => levels.Where(JudgedWithBatch).Select(k.At)), ct);
                var (changed, deltas) = await SeriesStore.UpsertAsync(connection, batch, levels, ct);
                await SeriesStore.RecordReportedWeeksAsync(connection, batch.ReportingCountry,
                    batch.Observations.Where(o => !o.Deleted).Select(o => o.Period), ct);
                // Every cell of the batch was older than what is stored: nothing to judge again.
                if (changed.Count == 0) return;
                var existed = await SeriesStore.AddToTotalsAsync(connection, deltas.Where(d => JudgedWithBatch(d.Key.Series.Level)), ct);
                var complete = batch.BatchCount <= 1 || await WideJudgingQueue.ReleaseCompleteAsync(connection, batch.SubmissionId, ct);
                raised += await judging.JudgeAsync(connection, messages, changed.Where(c => JudgedWithBatch(c.Key.Level)).ToDictionary(), existed, traceId, ct,
                    complete ? null : batch.SubmissionId);
                var wide = changed.Where(c => !JudgedWithBatch(c.Key.Level)).ToDictionary();
                if (wide.Count == 0) return;
                // Judged by the judging pass (WideSeriesJudging), once the whole release is in, and once for all the batches
                // that change them meanwhile.
                await SeriesStore.LockAsync(connection, wide.Keys, ct);
                await SeriesStore.AddToTotalsAsync(connection, deltas.Where(d => !JudgedWithBatch(d.Key.Series.Level)), ct);
                await WideJudgingQueue.MarkAsync(connection, batch.SubmissionId, wide, ct);
            }, ct);

        if (!processed) return;
        PipelineMetrics.ObservationsCommitted("evaluated", batch.ReportingCountry, batch.Observations.Count);
        PipelineMetrics.Reached("evaluated", batch.AcceptedAt);
        if (raised > 0) PipelineMetrics.Reached("alerted", batch.AcceptedAt);
    }

    /// <summary>
    /// A finest series, judged with its batch: each of its weeks is one published cell, its series total (unless several
    /// national categories map to its regional one); its alerts wait for the rest of the release when some is still to come.
    /// The others sum many finest series, which a release spreads over several messages, and are judged apart once the
    /// release is in.
    /// </summary>
    internal static bool JudgedWithBatch(SeriesLevel level) => level.IsFinest;
}
