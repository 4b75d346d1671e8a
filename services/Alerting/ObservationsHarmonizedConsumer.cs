using EarlyWarning.ServiceDefaults.Telemetry;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using EarlyWarning.Alerting.Alerts;
using EarlyWarning.Alerting.Detection;
using EarlyWarning.Contracts;
using EarlyWarning.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Alerting;

/// <summary>Adds a harmonized batch to the series it touches, re-evaluates them and raises an alert for each new surge.</summary>
internal sealed class ObservationsHarmonizedConsumer(
    TransactionalWork work,
    IOptions<DetectionOptions> options,
    ILogger<ObservationsHarmonizedConsumer> logger) : IConsumer<ObservationsHarmonized>
{
    private static readonly Meter Meter = new("EarlyWarning.Alerting");
    private static readonly Counter<long> Raised = Meter.CreateCounter<long>("earlywarning.alerting.alerts_raised");

    public async Task Consume(ConsumeContext<ObservationsHarmonized> context)
    {
        var batch = context.Message;
        if (batch.Observations is null || batch.ReportingCountry is not { Length: 3 })
            throw new InvalidBatchException("the batch has no observations or no valid reporting country");
        var raised = 0;
        var traceId = Activity.Current?.TraceId.ToString();

        var processed = await work.ExecuteOnceAsync(context.RequireMessageId(), nameof(ObservationsHarmonizedConsumer),
            async (connection, _, messages) =>
            {
                messages.Add(new SubmissionProgressed(batch.SubmissionId, "evaluated", batch.BatchNumber, batch.BatchCount,
                    batch.Observations.Count, DateTimeOffset.UtcNow));
                await SeriesStore.LockAsync(connection, batch.Observations.Select(o => SeriesKey.Of(batch.ReportingCountry, o)), context.CancellationToken);
                var changed = await SeriesStore.UpsertAsync(connection, batch, context.CancellationToken);
                // Every cell of the batch was older than what is stored: nothing to judge again.
                if (changed.Count == 0) return;
                // A changed week matters to its own evaluation and to those of the weeks whose baseline it is in.
                var reach = 7 * options.Value.Baseline;
                var changedWeeks = changed.Values.SelectMany(w => w).ToList();
                var series = await SeriesStore.LoadAsync(connection, changed.Keys,
                    changedWeeks.Min().AddDays(-reach), changedWeeks.Max().AddDays(reach), context.CancellationToken);
                var notSurges = new List<Judgement>();
                foreach (var (key, weeks) in changed)
                foreach (var judgement in SurgeEvaluator.Judge(series.GetValueOrDefault(key) ?? new WeeklySeries(key, []), weeks, options.Value))
                {
                    if (judgement.Surge is not { } surge)
                    {
                        notSurges.Add(judgement);
                        continue;
                    }
                    var alert = await AlertStore.TryRaiseAsync(connection, surge, traceId, context.CancellationToken);
                    if (alert is null) continue;
                    messages.Add(alert);
                    raised++;
                    logger.LogInformation("Surge: {Series} week of {Period}: {Observed} observed, threshold {Bound:F1}",
                        alert.SeriesKey, alert.Period, alert.Observed, alert.UpperBound);
                }
                foreach (var (seriesKey, period) in await AlertStore.WithdrawAsync(connection, notSurges, context.CancellationToken))
                    logger.LogInformation("Alert withdrawn: {Series} week of {Period}", seriesKey, period);
            }, context.CancellationToken);

        if (!processed) return;
        Raised.Add(raised, new KeyValuePair<string, object?>("country", batch.ReportingCountry));
        PipelineMetrics.ObservationsCommitted("evaluated", batch.ReportingCountry, batch.Observations.Count);
        PipelineMetrics.Reached("evaluated", batch.AcceptedAt);
        if (raised > 0) PipelineMetrics.Reached("alerted", batch.AcceptedAt);
    }
}
