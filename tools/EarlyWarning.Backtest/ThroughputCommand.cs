using System.CommandLine;
using System.Diagnostics;
using EarlyWarning.Backtest.Evaluation;
using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Backtest;

/// <summary>
/// earlywarning-backtest throughput: how many series a second Alerting's judge (the same code) re-judges
/// for their current week, with each detector of the policy, on all cores.
/// </summary>
internal static class ThroughputCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--series") { Description = "Series whose current week is judged", DefaultValueFactory = _ => 200_000 };
        var config = new Option<string?>("--config") { Description = "Policy file (as Alerting's appsettings.json); the defaults when absent" };
        var command = new Command("throughput", "Series judged per second for their current week, per detector of the policy.");
        command.Options.Add(count);
        command.Options.Add(config);
        command.SetAction(parse =>
        {
            try
            {
                var policy = PolicyFile.Load(parse.GetValue(config));
                var n = parse.GetValue(count);
                // 1,000 distinct generated series of three years, reused: the cost of a judgement does not depend on which series it is.
                var data = EvaluationData.Generate(1000, 156, seed: 1);
                Console.WriteLine($"{n:N0} series, current week judged, {Environment.ProcessorCount} cores, history up to {policy.HistoryWeeks} weeks");
                Console.WriteLine($"{"detector",-28} {"history",8} {"seconds",9} {"series/s",12}");
                var rules = policy.EffectiveDetectors.OrderByDescending(r => r.MinimumHistory).ToList();
                for (var r = 0; r < rules.Count; r++)
                {
                    var rule = rules[r];
                    // The longest history the service hands this rule: up to where the next longer rule takes over.
                    var history = Math.Min(155, r == 0 ? policy.HistoryWeeks : rules[r - 1].MinimumHistory - 1);
                    var single = new DetectionPolicy { MinimumCount = policy.MinimumCount, MinimumRatio = policy.MinimumRatio, HistoryWeeks = policy.HistoryWeeks, Detectors = [rule] };
                    var judge = new SeriesJudge(single);
                    var windows = data.Select(s => s.Counts[^(history + 1)..]).ToArray();
                    var week = new DateOnly(2026, 11, 23);
                    var surges = 0;
                    Parallel.For(0, Math.Min(n, 2000), i => judge.Judge(windows[i % windows.Length], week));
                    var clock = Stopwatch.StartNew();
                    Parallel.For(0, n, () => 0, (i, _, local) => local + (judge.Judge(windows[i % windows.Length], week).Surge ? 1 : 0),
                        local => Interlocked.Add(ref surges, local));
                    var seconds = clock.Elapsed.TotalSeconds;
                    Console.WriteLine($"{rule.Label,-28} {history,8} {seconds,9:F2} {n / seconds,12:N0}");
                }
                return 0;
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }
}
