using System.Diagnostics;
using EarlyWarning.Detection.Surveillance;
using EarlyWarning.ServiceDefaults.Security;
using Npgsql;

namespace EarlyWarning.Alerting.Detection;

/// <summary>How fast one detector judged its share of the series.</summary>
internal sealed record DetectorSpeed(string Detector, int Series, double Seconds, double SeriesPerSecond);

/// <summary>
/// How fast the running service judges one week of every series it keeps (a dry run: nothing is kept). First from their
/// history (a week's first verdict, or one whose history changed), then again from the bases of those verdicts (a
/// revised count of the week: re-judging, reading included).
/// </summary>
internal sealed record JudgingSpeedReport(DateOnly Week, int Series, int Cores, double ReadSeconds, double JudgeSeconds, double SeriesPerSecond,
    double SecondsFor200000, List<DetectorSpeed> Detectors,
    int Rejudged, int SentToHistory, double RejudgeReadSeconds, double RejudgeSeconds, double RejudgedPerSecond, double RejudgeSecondsFor200000, List<DetectorSpeed> RejudgeDetectors);

/// <summary>
/// The in-service measure of the judge (deploy/local/bench-alerting.sh): reads the week and its history of every
/// series as a batch does (kept weekly totals), judges the week with each series' own judge on every core (a second
/// time, as a warm service would), then judges each detector's share again alone to give its own rate. Then, in a
/// transaction it rolls back, it keeps those verdicts with their bases and re-judges the week of every series as a
/// revision of its count is: the bases and counts read in one query, each count decided from its basis. Operators only.
/// </summary>
internal static class JudgingSpeed
{
    public static void MapJudgingSpeedEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/operations/judging-speed", async (NpgsqlDataSource db, SeriesJudges judges, DateOnly week, CancellationToken ct) =>
            Results.Ok(await MeasureAsync(db, judges, week, ct))).RequireAuthorization(Policies.Operator);

    public static async Task<JudgingSpeedReport> MeasureAsync(NpgsqlDataSource db, SeriesJudges judges, DateOnly week, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var series = await SeriesStore.LoadWeekAsync(db, week, judges.HistoryWeeks, ct);
        var read = clock.Elapsed.TotalSeconds;

        // A running service has judged many batches before: its judge is compiled and optimized. A first pass would
        // measure the JIT as much as the judge, so the measured pass is the second.
        Judge(judges, series, week, ct);
        clock.Restart();
        var verdicts = Judge(judges, series, week, ct);
        var judging = clock.Elapsed.TotalSeconds;
        var detectors = PerDetector(Enumerable.Range(0, series.Count).ToList(), i => verdicts[i].Verdict.Algorithm, share =>
            Judge(judges, share.Select(i => series[i]).ToList(), week, ct));

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await JudgementStore.SaveAsync(connection, series.Select((s, i) => (s.Key, verdicts[i].Verdict, verdicts[i].Basis)).ToList(), ct);
        await JudgementStore.AnalyzeAsync(connection, ct);
        Decide(judges, await JudgementStore.LoadWeekBasesAsync(connection, judges.Levels, week, judges.ReachWeeks, ct), week, ct);
        clock.Restart();
        var bases = await JudgementStore.LoadWeekBasesAsync(connection, judges.Levels, week, judges.ReachWeeks, ct);
        var rejudgeRead = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var decided = Decide(judges, bases, week, ct);
        var rejudging = clock.Elapsed.TotalSeconds;
        var rejudgeDetectors = PerDetector(Enumerable.Range(0, bases.Count).ToList(), i => decided[i]?.Algorithm, share =>
            Decide(judges, share.Select(i => bases[i]).ToList(), week, ct));
        await transaction.RollbackAsync(ct);

        return new JudgingSpeedReport(week, series.Count, Environment.ProcessorCount, read, judging, series.Count / Math.Max(judging, 1e-9),
            series.Count == 0 ? 0 : 200_000 * (read + judging) / series.Count, detectors,
            bases.Count, decided.Count(v => v is null), rejudgeRead, rejudging, bases.Count / Math.Max(rejudgeRead + rejudging, 1e-9),
            bases.Count == 0 ? 0 : 200_000 * (rejudgeRead + rejudging) / bases.Count, rejudgeDetectors);
    }

    /// <summary>Each detector's share judged again alone, for its own rate.</summary>
    private static List<DetectorSpeed> PerDetector(List<int> all, Func<int, string?> detector, Action<List<int>> judge)
    {
        var speeds = new List<DetectorSpeed>();
        foreach (var group in all.GroupBy(i => detector(i) ?? "not judged (no bound: history too short, or a suppressed week)"))
        {
            var share = group.ToList();
            var clock = Stopwatch.StartNew();
            judge(share);
            var seconds = clock.Elapsed.TotalSeconds;
            speeds.Add(new DetectorSpeed(group.Key, share.Count, seconds, share.Count / Math.Max(seconds, 1e-9)));
        }
        return speeds.OrderByDescending(d => d.Series).ToList();
    }

    /// <summary>The consumer's way: each series with its own judge, spread over the cores.</summary>
    private static (Verdict Verdict, VerdictBasis? Basis)[] Judge(SeriesJudges judges, List<WeeklySeries> series, DateOnly week, CancellationToken ct)
    {
        var verdicts = new (Verdict, VerdictBasis?)[series.Count];
        Parallel.For(0, series.Count, new ParallelOptions { CancellationToken = ct },
            i => verdicts[i] = judges.For(series[i].Key).Judge.JudgeWithBasis(series[i].Totals, week));
        return verdicts;
    }

    /// <summary>The consumer's way for a revised count: decided from the verdict's basis (null where the basis cannot tell).</summary>
    private static Verdict?[] Decide(SeriesJudges judges, List<(SeriesKey Key, long? Count, VerdictBasis Basis)> bases, DateOnly week, CancellationToken ct)
    {
        var verdicts = new Verdict?[bases.Count];
        Parallel.For(0, bases.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var (key, count, basis) = bases[i];
            verdicts[i] = count is { } observed ? judges.For(key).Judge.Decide(basis, week, observed) : null;
        });
        return verdicts;
    }
}
