using System.Diagnostics;
using EarlyWarning.Detection.Surveillance;
using EarlyWarning.ServiceDefaults.Security;
using Npgsql;

namespace EarlyWarning.Alerting.Detection;

/// <summary>How fast one detector judged its share of the series.</summary>
internal sealed record DetectorSpeed(string Detector, int Series, double Seconds, double SeriesPerSecond);

/// <summary>How fast the running service re-judges one week of every series it keeps (a dry run: nothing is stored).</summary>
internal sealed record JudgingSpeedReport(DateOnly Week, int Series, int Cores, double ReadSeconds, double JudgeSeconds, double SeriesPerSecond,
    double SecondsFor200000, List<DetectorSpeed> Detectors);

/// <summary>
/// The in-service measure of the judge (deploy/local/bench-alerting.sh): reads the week and its history of every
/// series as a batch does (kept weekly totals), judges the week with each series' own judge on every core (a second
/// time, as a warm service would), then judges each detector's share again alone to give its own rate. Operators
/// only; nothing is written.
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

        var detectors = new List<DetectorSpeed>();
        foreach (var group in Enumerable.Range(0, series.Count).GroupBy(i => verdicts[i].Algorithm ?? "not judged (no bound: history too short, or a suppressed week)"))
        {
            var share = group.Select(i => series[i]).ToList();
            clock.Restart();
            Judge(judges, share, week, ct);
            var seconds = clock.Elapsed.TotalSeconds;
            detectors.Add(new DetectorSpeed(group.Key, share.Count, seconds, share.Count / Math.Max(seconds, 1e-9)));
        }
        var rate = series.Count / Math.Max(judging, 1e-9);
        return new JudgingSpeedReport(week, series.Count, Environment.ProcessorCount, read, judging, rate,
            series.Count == 0 ? 0 : 200_000 * (read + judging) / series.Count, detectors.OrderByDescending(d => d.Series).ToList());
    }

    /// <summary>The consumer's way: each series with its own judge, spread over the cores.</summary>
    private static Verdict[] Judge(SeriesJudges judges, List<WeeklySeries> series, DateOnly week, CancellationToken ct)
    {
        var verdicts = new Verdict[series.Count];
        Parallel.For(0, series.Count, new ParallelOptions { CancellationToken = ct },
            i => verdicts[i] = judges.For(series[i].Key).Judge.Judge(series[i].Totals, week));
        return verdicts;
    }
}
