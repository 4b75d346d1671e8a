using System.Globalization;
using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Backtest;

/// <summary>
/// Judges every period of each series as Alerting would (period 1 is taken as a Monday, the rest weekly) and lists
/// the verdicts and the alerts. A series is judged with the settings of the first override (<c>Detection:Overrides</c>)
/// that matches its level and reporting country, as the service does.
/// </summary>
internal static class PolicyBacktest
{
    private static readonly DateOnly Week1 = new(2000, 1, 3);

    /// <param name="level">The level of a series whose input does not name one (<c>level</c> column).</param>
    /// <param name="country">The reporting country of a series whose input does not name one (<c>country</c> column).</param>
    public static async Task<int> RunAsync(string inputPath, string outputPath, DetectionPolicy policy, SeriesLevel level, string? country, CancellationToken ct)
    {
        using var reader = inputPath == "-" ? Console.In : new StreamReader(inputPath);
        var series = await SeriesCsv.ReadAsync(reader, ct);
        // One judge per override (and one for the section itself), built once as Alerting builds them.
        var judges = new Dictionary<int, (DetectionPolicy Policy, SeriesJudge Judge)>();
        var chosen = series.Select(s =>
        {
            var seriesLevel = s.Level is { } name ? SeriesLevel.Parse(name) : level;
            // A level summed over the region has no reporting country.
            var seriesCountry = seriesLevel.Has(SeriesDimensions.Country) ? s.Country ?? country : null;
            var index = policy.OverrideIndex(seriesLevel, seriesCountry);
            if (!judges.TryGetValue(index, out var judge))
            {
                var effective = index < 0 ? policy : policy.Overrides[index].Apply(policy);
                judges[index] = judge = (effective, new SeriesJudge(effective));
            }
            return judge;
        }).ToList();
        var results = new (List<Verdict> Verdicts, List<Episode> Episodes)[series.Count];
        Parallel.For(0, series.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var (rules, judge) = chosen[i];
            var counts = series[i].Counts;
            var verdicts = new List<Verdict>(counts.Length);
            for (var t = 0; t < counts.Length; t++)
                verdicts.Add(judge.Judge(counts[Math.Max(0, t - rules.HistoryWeeks)..(t + 1)], Week1.AddDays(7 * t)));
            results[i] = (verdicts, AlertLifecycle.Episodes(verdicts, rules.Lifecycle, rules.Severity));
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
