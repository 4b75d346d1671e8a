using System.CommandLine;
using System.Diagnostics;
using EarlyWarning.Detection;
using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Backtest;

/// <summary>earlywarning-backtest: runs one of R surveillance's algorithms over many series at once, on all cores.</summary>
internal static class BacktestCommand
{
    public static RootCommand Create()
    {
        var input = new Option<string>("--input") { Description = "CSV with columns series,period,count (period 1, 2, … in order); - for standard input", Required = true };
        var output = new Option<string>("--output") { Description = "CSV to write (series,period,expected,upperbound,alarm); - for standard output", DefaultValueFactory = _ => "-" };
        var frequency = new Option<int>("--frequency") { Description = "Periods per year: 52 weekly, 12 monthly", DefaultValueFactory = _ => 52 };
        var algorithm = new Option<string?>("--algorithm") { Description = "ears-c1, ears-c2, ears-c3, farrington-flexible or cusum (or --config)" };
        var config = new Option<string?>("--config")
        {
            Description = "Judge as Alerting does, with the policy of this JSON file (a \"Detection\" section, as Alerting's appsettings.json): the detector chosen by history, the minimum count, the alert lifecycle",
        };
        var level = new Option<string>("--level")
        {
            Description = "With --config: the aggregation level of series whose input has no level column (chooses the policy's override)",
            DefaultValueFactory = _ => SeriesLevel.Finest.Name,
        };
        var country = new Option<string?>("--country")
        {
            Description = "With --config: the reporting country (ISO 3166-1 alpha-3) of series whose input has no country column",
        };
        algorithm.AcceptOnlyFromAmong(Detector.Algorithms);
        var range = new Option<string?>("--range") { Description = "FROM:TO, 1-based and inclusive (default: every period)" };

        // Algorithm parameters, named exactly as R names them.
        string[] parameterNames =
        [
            "b", "w", "reweight", "weightsThreshold", "alpha", "trend", "pThresholdTrend", "limit54", "powertrans",
            "noPeriods", "pastWeeksNotIncluded", "thresholdMethod", "baseline", "minSigma", "k", "h", "m",
        ];
        var parameters = parameterNames.Select(name => new Option<string?>("--" + name) { Description = $"R's {name}" }).ToArray();

        var root = new RootCommand("Backtests EarlyWarning's surge detection (conformant with R's surveillance package) on your own series.");
        foreach (var option in new Option[] { input, output, frequency, algorithm, config, level, country, range }.Concat(parameters)) root.Options.Add(option);
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ThroughputCommand.Create());
        root.SetAction(async (parse, ct) =>
        {
            try
            {
                var given = parameters.Where(p => parse.GetValue(p) is not null).ToDictionary(p => p.Name.TrimStart('-'), p => parse.GetValue(p)!);
                if ((parse.GetValue(algorithm) is null) == (parse.GetValue(config) is null))
                    throw new ArgumentException("give either --algorithm (one detector, R's parameters) or --config (Alerting's policy)");
                if (parse.GetValue(config) is null && (parse.GetResult(level) is { Implicit: false } || parse.GetValue(country) is not null))
                    throw new ArgumentException("--level and --country choose an override of --config's policy; give them with --config");
                if (parse.GetValue(config) is { } policyPath)
                {
                    if (given.Count > 0) throw new ArgumentException("with --config the parameters come from the file, not from --" + given.Keys.First());
                    if (!SeriesLevel.TryParse(parse.GetValue(level), out var seriesLevel, out var problem)) throw new ArgumentException($"--level {problem}");
                    if (parse.GetValue(country) is { } code && !DetectionOverride.IsCountryCode(code))
                        throw new ArgumentException($"--country '{code}' is not an ISO 3166-1 alpha-3 code in capitals");
                    return await PolicyBacktest.RunAsync(parse.GetValue(input)!, parse.GetValue(output)!, PolicyFile.Load(policyPath), seriesLevel,
                        parse.GetValue(country), ct);
                }
                var detector = Detector.Create(parse.GetValue(algorithm)!, given);
                var period = parse.GetValue(frequency);
                if (period < 1) throw new ArgumentException("--frequency must be at least 1");

                var inputPath = parse.GetValue(input)!;
                using var reader = inputPath == "-" ? Console.In : new StreamReader(inputPath);
                var series = await SeriesCsv.ReadAsync(reader, ct);
                var clock = Stopwatch.StartNew();
                var results = new PeriodResult[series.Count][];
                Parallel.For(0, series.Count, new ParallelOptions { CancellationToken = ct }, i =>
                {
                    var counts = series[i].Counts;
                    results[i] = detector.Evaluate(counts, period, ParseRange(parse.GetValue(range), counts.Length));
                });
                var evaluations = results.Sum(r => r.Length);
                Console.Error.WriteLine($"{detector.Algorithm}: {series.Count} series, {evaluations} periods evaluated in {clock.Elapsed.TotalSeconds:F2} s on {Environment.ProcessorCount} cores");

                var outputPath = parse.GetValue(output)!;
                await using var writer = outputPath == "-" ? Console.Out : new StreamWriter(outputPath);
                await SeriesCsv.WriteAsync(writer, series.Select((s, i) => (s, results[i])));
                return 0;
            }
            catch (Exception ex) when (ex is InputException or ArgumentException or EarlyWarning.Formats.CsvFormatException or IOException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });

        return root;
    }

    private static EvaluationRange ParseRange(string? text, int length)
    {
        if (text is null) return EvaluationRange.All(length);
        var parts = text.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], out var from) && int.TryParse(parts[1], out var to) && from >= 1 && to >= from)
            return new EvaluationRange(from, to);
        throw new ArgumentException($"--range '{text}' is not FROM:TO with 1 <= FROM <= TO");
    }
}
