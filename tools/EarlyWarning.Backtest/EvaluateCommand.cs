using System.CommandLine;
using EarlyWarning.Backtest.Evaluation;

namespace EarlyWarning.Backtest;

/// <summary>
/// earlywarning-backtest evaluate: generates evaluation data with planted surges and reports, for each policy
/// file given (the defaults when none is), probability of detection, weeks to first alert and false alerts.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var configs = new Option<string[]>("--config") { Description = "Policy files (JSON with a \"Detection\" section, as Alerting's appsettings.json); repeat to compare; none: the defaults", AllowMultipleArgumentsPerToken = true };
        var count = new Option<int>("--series") { Description = "Series to generate", DefaultValueFactory = _ => 3000 };
        var weeks = new Option<int>("--weeks") { Description = "Weeks per series", DefaultValueFactory = _ => 156 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generator", DefaultValueFactory = _ => 20261124 };
        var dump = new Option<string?>("--write-data") { Description = "Also write the generated series as series,period,count CSV (the backtest's input) to this file" };
        var command = new Command("evaluate", "Measures detection quality on generated series with planted surges.");
        foreach (var option in new Option[] { configs, count, weeks, seed, dump }) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                if (parse.GetValue(count) < 1 || parse.GetValue(weeks) < 70) throw new ArgumentException("--series must be at least 1 and --weeks at least 70");
                var data = EvaluationData.Generate(parse.GetValue(count), parse.GetValue(weeks), parse.GetValue(seed));
                if (parse.GetValue(dump) is { } path)
                {
                    await using var writer = new StreamWriter(path);
                    await writer.WriteLineAsync("series,period,count");
                    foreach (var s in data)
                        for (var t = 0; t < s.Counts.Length; t++)
                            await writer.WriteLineAsync(FormattableString.Invariant($"{s.Name},{t + 1},{s.Counts[t]}"));
                }
                Console.WriteLine($"{data.Count} series of {parse.GetValue(weeks)} weeks (seed {parse.GetValue(seed)}): usual level 1-5 (one in ten) or 10-300 a week, " +
                                  "yearly season up to ±60%, trend up to ±15% a year, variance 1-2 times the mean; surges of 1.5x-4x for 1-6 weeks in two series of three");
                var files = parse.GetValue(configs) is { Length: > 0 } given ? given.Select(f => (string?)f).ToArray() : new string?[] { null };
                foreach (var file in files)
                {
                    var report = DetectionQuality.Measure(data, PolicyFile.Load(file));
                    DetectionQuality.Print(Console.Out, file ?? "defaults", report);
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
