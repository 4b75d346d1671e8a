using System.Diagnostics;
using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;

namespace EarlyWarning.Alerting.Detection;

/// <summary>
/// Judges the marked weeks of the series above the finest level (a border point, a country total, a nationality
/// across the region), and of the finest series whose alerts a batch left to the rest of its release, in passes, once the releases that marked them are complete (<see cref="WideJudgingQueue"/>),
/// each week once for all the batches that marked it since the last pass, with their verdicts, alerts and events in
/// one transaction. Batches only add to the totals and mark, so they neither wait for each other behind a country
/// total nor judge it again and again, and no sum is judged on part of a release.
/// </summary>
internal sealed class WideSeriesJudging(
    TransactionalWork work,
    SeriesJudges judges,
    SeriesJudging judging,
    ResiliencePipelineProvider resilience,
    TimeProvider time,
    ILogger<WideSeriesJudging> logger) : BackgroundService
{
    /// <summary>Series taken per pass: bounds a pass's transaction, while a week waits at most a few passes.</summary>
    private const int SeriesPerPass = 200;
    /// <summary>
    /// Pause after a pass that found less than a full pass of work: a week is judged within about this long of its
    /// release's last commit, and the batches of that time are judged together.
    /// </summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(500);
    /// <summary>Release records are kept a week: pruning them once every few minutes of idleness is plenty.</summary>
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(5);
    private long _prunedAt = long.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // More may be due right away: the next pass follows without a pause.
                if (await resilience.Postgres.ExecuteAsync(async ct => await PassAsync(ct), stoppingToken) >= SeriesPerPass) continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The marks stay; the next pass takes them again.
                logger.LogError(ex, "Judging of wide series failed; retrying in {Idle}", Idle);
            }
            await Task.Delay(Idle, stoppingToken);
        }
    }

    /// <summary>One pass; returns how many series it found due.</summary>
    private async Task<int> PassAsync(CancellationToken ct)
    {
        var found = 0;
        await work.ExecuteAsync(async (connection, _, messages) =>
        {
            var due = await WideJudgingQueue.SeriesDueAsync(connection, judges.Levels, SeriesPerPass, ct);
            found = due.Count;
            if (due.Count == 0)
            {
                if (_prunedAt != long.MinValue && Stopwatch.GetElapsedTime(_prunedAt) < PruneEvery) return;
                await WideJudgingQueue.PruneAsync(connection, ct);
                _prunedAt = Stopwatch.GetTimestamp();
                return;
            }
            await SeriesStore.LockAsync(connection, due, ct);
            var taken = await WideJudgingQueue.TakeAsync(connection, due, ct);
            // A series across the region changed less than RegionSettle ago: judged now, its alerts confirmed once it settles.
            var settledBy = time.GetUtcNow() - WideJudgingQueue.RegionSettle;
            foreach (var unsettled in taken.Where(t => t.Key.Country == SeriesKey.All && t.Value.Newest > settledBy).GroupBy(t => (t.Value.Newest, t.Value.Release)))
                await judging.JudgeAsync(connection, messages, unsettled.ToDictionary(t => t.Key, t => t.Value.Weeks), existed: null, traceId: null, ct,
                    incompleteRelease: unsettled.Key.Release, confirmFrom: unsettled.Key.Newest);
            var settled = taken.Where(t => t.Key.Country != SeriesKey.All || t.Value.Newest <= settledBy).ToDictionary(t => t.Key, t => t.Value.Weeks);
            await judging.JudgeAsync(connection, messages, settled, existed: null, traceId: null, ct);
        }, ct);
        return found;
    }
}
