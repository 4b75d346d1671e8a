using EarlyWarning.Alerting.Alerts;
using EarlyWarning.Contracts;
using EarlyWarning.Detection.Surveillance;
using EarlyWarning.ServiceDefaults.Messaging;
using System.Diagnostics.Metrics;
using Npgsql;

namespace EarlyWarning.Alerting.Detection;

/// <summary>Re-judging of changed weeks and the alerts that follow, in the caller's transaction: for a batch's series, and for the judging pass's wide ones.</summary>
internal sealed class SeriesJudging(SeriesJudges judges, ILogger<SeriesJudging> logger)
{
    private static readonly Meter Meter = new("EarlyWarning.Alerting");
    private static readonly Counter<long> Raised = Meter.CreateCounter<long>("earlywarning.alerting.alerts_raised");

    /// <summary>What changed, for a withdrawn alert: read from the verdict on its peak week (or its first) now.</summary>
    internal static string WithdrawalReason(StoredAlert alert, IReadOnlyDictionary<DateOnly, Verdict> verdicts)
    {
        var verdict = verdicts.GetValueOrDefault(alert.PeakWeek) ?? verdicts.GetValueOrDefault(alert.Start);
        return verdict switch
        {
            null or { Observed: null, Reason: null } => "no count any more: the surge's cells were deleted by their publisher",
            { Observed: null, Reason: { } reason } when reason.StartsWith("no count", StringComparison.Ordinal) => reason,
            { Observed: null, Reason: { } reason } => $"the count is now suppressed by the agreement: {reason}",
            { Week: var week, Observed: { } observed, UpperBound: { } bound } when week != alert.PeakWeek || observed != alert.Observed
                => $"the revised count {observed} no longer exceeds the bound {bound:0.0}",
            { Observed: { } observed, UpperBound: { } bound }
                => $"the history before it changed (weeks revised or completed): the count {observed} is unchanged, the bound is now {bound:0.0}",
            _ => verdict.Reason ?? "the week is no longer a surge",
        };
    }

    /// <summary>
    /// Judges again the changed weeks of the given series and the weeks whose history they are, stores the verdicts
    /// and brings the series' alerts in line with the surges the verdicts now show. Returns the alerts raised.
    /// </summary>
    /// <param name="existed">When known (null otherwise), the changed weeks that had a total before this change: no other can have a verdict to re-judge from.</param>
    /// <param name="incompleteRelease">
    /// The release of the change when it has messages still to come: the verdicts are kept, but the alerts of the series that
    /// may change are left to the judging pass (<see cref="WideJudgingQueue"/>), which judges them again once the release is
    /// in. Judged on part of a release (a week before its history, a category before another that maps with it), a series
    /// could raise an alert that the rest of the release withdraws.
    /// </param>
    /// <param name="confirmFrom">With <paramref name="incompleteRelease"/>: the alerts wait instead for the series to settle after this time (<see cref="WideJudgingQueue.RegionSettle"/>).</param>
    public async Task<int> JudgeAsync(NpgsqlConnection connection, PendingMessages messages, Dictionary<SeriesKey, HashSet<DateOnly>> changed,
        IReadOnlySet<(SeriesKey Series, DateOnly Week)>? existed, string? traceId, CancellationToken ct, Guid? incompleteRelease = null,
        DateTimeOffset? confirmFrom = null)
    {
        if (changed.Count == 0) return 0;
        var raised = 0;
        var (judged, firstJudged) = await JudgeChangedAsync(connection, changed, existed, ct);
        await JudgementStore.SaveAsync(connection, judged, ct);

        var earliest = firstJudged.Values.Min();
        var standing = await AlertStore.LoadStandingAsync(connection, changed.Keys.Select(k => k.ToString()).ToList(),
            earliest.AddDays(-7 * judges.LifecycleWeeks), ct);
        // Only a series with an alert standing, or a surge among the weeks just judged, can have an alert to raise,
        // update, close or withdraw: the others (most of them) need not read their past verdicts.
        var surging = judged.Where(v => v.Verdict.Surge).Select(v => v.Key).Distinct();
        var keys = surging.Concat(changed.Keys.Where(k => standing.ContainsKey(k.ToString()))).Distinct().ToDictionary(k => k.ToString());
        if (keys.Count == 0) return 0;
        if (incompleteRelease is { } release)
        {
            await WideJudgingQueue.MarkAsync(connection, release, changed.Where(c => keys.ContainsKey(c.Key.ToString())).ToDictionary(), ct, confirmFrom);
            return 0;
        }
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
                alert => WithdrawalReason(alert, byWeek));
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
                        Raised.Add(1, new KeyValuePair<string, object?>("country", alert.ReportingCountry));
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

    /// <summary>
    /// The verdicts on the changed weeks and on the weeks whose history they are. A series whose one changed week is the
    /// last it reports within reach is decided from the basis of that week's verdict, when it has one its judge can use:
    /// the weeks before are as they were when it was made (a change to any of them judged this week again from its
    /// history), so the verdict is the one the history would give. The others read their history and are judged from it.
    /// </summary>
    private async Task<(List<(SeriesKey Key, Verdict Verdict, VerdictBasis? Basis)> Judged, Dictionary<SeriesKey, DateOnly> FirstJudged)> JudgeChangedAsync(
        NpgsqlConnection connection, Dictionary<SeriesKey, HashSet<DateOnly>> changed, IReadOnlySet<(SeriesKey, DateOnly)>? existed, CancellationToken ct)
    {
        var judged = new List<(SeriesKey Key, Verdict Verdict, VerdictBasis? Basis)>();
        var firstJudged = new Dictionary<SeriesKey, DateOnly>();
        var single = changed.Where(c => c.Value.Count == 1 && (existed is null || existed.Contains((c.Key, c.Value.First()))))
            .Select(c => (c.Key, c.Value.First(), judges.For(c.Key).Judge.ReachWeeks)).ToList();
        foreach (var (key, week, count, basis) in await JudgementStore.LoadBasesAsync(connection, single, ct))
            if (count is { } observed && judges.For(key).Judge.Decide(basis, week, observed) is { } verdict)
            {
                judged.Add((key, verdict, basis));
                firstJudged[key] = week;
            }
        var fromHistory = changed.Where(c => !firstJudged.ContainsKey(c.Key)).ToList();
        if (fromHistory.Count == 0) return (judged, firstJudged);

        var changedWeeks = fromHistory.SelectMany(c => c.Value).ToList();
        var series = await SeriesStore.LoadAsync(connection, fromHistory.Select(c => c.Key),
            changedWeeks.Min().AddDays(-7 * judges.HistoryWeeks), changedWeeks.Max().AddDays(7 * judges.ReachWeeks), ct);
        var toJudge = fromHistory.Select(c =>
        {
            var weekly = series.GetValueOrDefault(c.Key) ?? new WeeklySeries(c.Key, []);
            var judge = judges.For(c.Key).Judge;
            return (Key: c.Key, Weekly: weekly, Judge: judge, Weeks: SeriesEvaluation.WeeksToJudge(weekly, c.Value, judge.ReachWeeks));
        }).ToList();
        // Judging is pure and most of the CPU a batch takes (a Farrington fit per week): spread over the cores.
        var verdicts = new List<(SeriesKey, Verdict, VerdictBasis?)>[toJudge.Count];
        Parallel.For(0, toJudge.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var (key, weekly, judge, weeks) = toJudge[i];
            verdicts[i] = weeks.Select(week =>
            {
                if (weekly.Awaited(week) is { Count: > 0 } awaited)
                    return (key, new Verdict(week, null, null, null, null, false, null,
                        $"waiting for {string.Join(", ", awaited)}: reported the weeks before and not this one yet"), (VerdictBasis?)null);
                var (verdict, basis) = judge.JudgeWithBasis(weekly.Totals, week, weekly.Reported);
                return (key, verdict, basis);
            }).ToList();
        });
        foreach (var list in verdicts) judged.AddRange(list);
        foreach (var w in toJudge) firstJudged[w.Key] = w.Weeks[0];
        return (judged, firstJudged);
    }
}
