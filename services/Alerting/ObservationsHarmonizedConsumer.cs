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
    ILogger<ObservationsHarmonizedConsumer> logger) : IConsumer<ObservationsHarmonized>
{
    private static readonly Meter Meter = new("EarlyWarning.Alerting");
    private static readonly Counter<long> Raised = Meter.CreateCounter<long>("earlywarning.alerting.alerts_raised");

    private static string WithdrawalReason(Verdict? verdict) => verdict switch
    {
        null => "the surge's first week has no data any more",
        { Judged: true, Surge: false, Observed: { } observed, UpperBound: { } bound } when observed <= bound
            => $"the revised count {observed} no longer exceeds the bound {bound:0.0}",
        _ => verdict.Reason ?? "the week is no longer a surge",
    };

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
                if (batch.Observations.Count == 0) return;
                var levels = judges.Levels;
                var finest = batch.Observations.Select(o => SeriesKey.Of(batch.ReportingCountry, o)).Distinct().ToList();
                // Series within border points first, then those that sum many (a country total, a nationality across the
                // region): every batch of a country touches the latter, so they are locked (and their totals updated) only
                // for the short end of the transaction. All local locks are taken before any wide one: no deadlock.
                await SeriesStore.LockAsync(connection, finest.SelectMany(k => levels.Where(Local).Select(k.At)), ct);
                var (changed, deltas) = await SeriesStore.UpsertAsync(connection, batch, levels, ct);
                // Every cell of the batch was older than what is stored: nothing to judge again.
                if (changed.Count == 0) return;
                await SeriesStore.AddToTotalsAsync(connection, deltas.Where(d => Local(d.Key.Series.Level)), ct);
                raised += await JudgeAsync(connection, messages, changed.Where(c => Local(c.Key.Level)).ToDictionary(), traceId, ct);
                var wide = changed.Where(c => !Local(c.Key.Level)).ToDictionary();
                if (wide.Count == 0) return;
                await SeriesStore.LockAsync(connection, wide.Keys, ct);
                await SeriesStore.AddToTotalsAsync(connection, deltas.Where(d => !Local(d.Key.Series.Level)), ct);
                raised += await JudgeAsync(connection, messages, wide, traceId, ct);
            }, ct);

        if (!processed) return;
        Raised.Add(raised, new KeyValuePair<string, object?>("country", batch.ReportingCountry));
        PipelineMetrics.ObservationsCommitted("evaluated", batch.ReportingCountry, batch.Observations.Count);
        PipelineMetrics.Reached("evaluated", batch.AcceptedAt);
        if (raised > 0) PipelineMetrics.Reached("alerted", batch.AcceptedAt);
    }

    private static bool Local(SeriesLevel level) => level.Has(SeriesDimensions.BorderPoint);

    /// <summary>
    /// Judges again the changed weeks of the given series and the weeks whose history they are, stores the verdicts
    /// and brings the series' alerts in line with the surges the verdicts now show. Returns the alerts raised.
    /// </summary>
    private async Task<int> JudgeAsync(NpgsqlConnection connection, PendingMessages messages, Dictionary<SeriesKey, HashSet<DateOnly>> changed,
        string? traceId, CancellationToken ct)
    {
        if (changed.Count == 0) return 0;
        var raised = 0;
        var changedWeeks = changed.Values.SelectMany(w => w).ToList();
        var series = await SeriesStore.LoadAsync(connection, changed.Keys,
            changedWeeks.Min().AddDays(-7 * judges.HistoryWeeks), changedWeeks.Max().AddDays(7 * judges.ReachWeeks), ct);
        var toJudge = changed.Select(c =>
        {
            var weekly = series.GetValueOrDefault(c.Key) ?? new WeeklySeries(c.Key, []);
            var judge = judges.For(c.Key).Judge;
            return (Key: c.Key, Weekly: weekly, Judge: judge, Weeks: SeriesEvaluation.WeeksToJudge(weekly, c.Value, judge.ReachWeeks));
        }).ToList();
        // Judging is pure and most of the CPU a batch takes (a Farrington fit per week): spread over the cores.
        var judged = new List<(SeriesKey, Verdict)>[toJudge.Count];
        Parallel.For(0, toJudge.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var (key, weekly, judge, weeks) = toJudge[i];
            judged[i] = weeks.Select(week => (key, judge.Judge(weekly.Totals, week))).ToList();
        });
        await JudgementStore.SaveAsync(connection, judged.SelectMany(v => v).ToList(), ct);
        var firstJudged = toJudge.ToDictionary(w => w.Key, w => w.Weeks[0]);

        var earliest = firstJudged.Values.Min();
        var standing = await AlertStore.LoadStandingAsync(connection, changed.Keys.Select(k => k.ToString()).ToList(),
            earliest.AddDays(-7 * judges.LifecycleWeeks), ct);
        // Only a series with an alert standing, or a surge among the weeks just judged, can have an alert to raise,
        // update, close or withdraw: the others (most of them) need not read their past verdicts.
        var surging = toJudge.Where((_, i) => judged[i].Any(v => v.Item2.Surge)).Select(w => w.Key);
        var keys = surging.Concat(changed.Keys.Where(k => standing.ContainsKey(k.ToString()))).Distinct().ToDictionary(k => k.ToString());
        if (keys.Count == 0) return 0;
        var from = keys.Values.Min(k => SeriesEvaluation.LifecycleFrom(firstJudged[k], standing.GetValueOrDefault(k.ToString()) ?? [], judges.For(k).Policy.Lifecycle));
        var history = await JudgementStore.LoadAsync(connection, keys.Keys, from, ct);
        foreach (var (text, key) in keys)
        {
            var seriesVerdicts = history.GetValueOrDefault(text) ?? [];
            var alerts = standing.GetValueOrDefault(text) ?? [];
            var rules = judges.For(key).Policy;
            var seriesFrom = SeriesEvaluation.LifecycleFrom(firstJudged[key], alerts, rules.Lifecycle);
            var episodes = AlertLifecycle.Episodes(seriesVerdicts.Where(v => v.Week >= seriesFrom), rules.Lifecycle, rules.Severity);
            var byWeek = seriesVerdicts.ToDictionary(v => v.Week);
            var changes = AlertReconciliation.Reconcile(alerts.Where(a => a.End >= seriesFrom).ToList(), episodes, firstJudged[key],
                week => WithdrawalReason(byWeek.GetValueOrDefault(week)));
            Guid? raisedId = null;
            foreach (var change in changes)
            {
                var message = await AlertStore.ApplyAsync(connection, key, change, raisedId, traceId, ct);
                // Published under its own type: the outbox names a message by the type it is added as.
                switch (message)
                {
                    case SurgeAlertUpdated updated:
                        messages.Add(updated);
                        break;
                    case SurgeAlertClosed closed:
                        messages.Add(closed);
                        break;
                    case SurgeDetected alert:
                        messages.Add(alert);
                        raisedId = alert.AlertId;
                        raised++;
                        logger.LogInformation("Surge: {Level} {Series} from the week of {Start}: {Observed} observed, bound {Bound:F1}, {Severity}",
                            alert.Level, alert.SeriesKey, alert.Period, alert.Observed, alert.UpperBound, alert.Severity);
                        break;
                    case SurgeAlertWithdrawn withdrawn:
                        messages.Add(withdrawn);
                        logger.LogInformation("Alert withdrawn: {Series} from the week of {Start}: {Reason}", withdrawn.SeriesKey, withdrawn.Start, withdrawn.Reason);
                        break;
                }
            }
        }
        return raised;
    }
}
