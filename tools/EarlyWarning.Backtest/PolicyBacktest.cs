using System.Globalization;
using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Backtest;

/// <summary>Judges every period of each series as Alerting would (period 1 is taken as a Monday, the rest weekly) and lists the verdicts and the alerts.</summary>
internal static class PolicyBacktest
{
    private static readonly DateOnly Week1 = new(2000, 1, 3);

    public static async Task<int> RunAsync(string inputPath, string outputPath, DetectionPolicy policy, CancellationToken ct)
    {
        using var reader = inputPath == "-" ? Console.In : new StreamReader(inputPath);
        var series = await SeriesCsv.ReadAsync(reader, ct);
        var judge = new SeriesJudge(policy);
        var results = new (List<Verdict> Verdicts, List<Episode> Episodes)[series.Count];
        Parallel.For(0, series.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var counts = series[i].Counts;
            var verdicts = new List<Verdict>(counts.Length);
            for (var t = 0; t < counts.Length; t++)
                verdicts.Add(judge.Judge(counts[Math.Max(0, t - policy.HistoryWeeks)..(t + 1)], Week1.AddDays(7 * t)));
            results[i] = (verdicts, AlertLifecycle.Episodes(verdicts, policy.Lifecycle, policy.Severity));
        });
        Console.Error.WriteLine($"{series.Count} series, {results.Sum(r => r.Verdicts.Count(v => v.Judged))} periods judged, " +
                                $"{results.Sum(r => r.Episodes.Count)} alerts");

        await using var writer = outputPath == "-" ? Console.Out : new StreamWriter(outputPath);
        await writer.WriteLineAsync("series,period,expected,upperbound,alarm,algorithm,alert,severity,state");
        for (var i = 0; i < series.Count; i++)
        {
            var (verdicts, episodes) = results[i];
            foreach (var v in verdicts)
            {
                var index = episodes.FindIndex(e => e.Start <= v.Week && v.Week <= (e.ClosedWeek ?? DateOnly.MaxValue));
                var episode = index < 0 ? null : episodes[index];
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{Quote(series[i].Name)},{Period(v.Week)},{v.Expected:R},{v.UpperBound:R},{(v.Surge ? 1 : 0)},{v.Algorithm},{(episode is null ? "" : Period(episode.Start).ToString(CultureInfo.InvariantCulture))},{episode?.Severity},{(episode is null ? "" : episode.Closed ? "closed" : "active")}"));
            }
        }
        return 0;
    }

    private static int Period(DateOnly week) => (week.DayNumber - Week1.DayNumber) / 7 + 1;

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
}
