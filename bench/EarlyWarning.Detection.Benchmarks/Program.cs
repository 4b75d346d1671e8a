using System.Diagnostics;
using System.Globalization;
using EarlyWarning.Detection;

// Evaluations per second of each algorithm, EarlyWarning against R's surveillance package on the same
// series in the same run (R is started from here), and the ratios: R is single-threaded, so the first ratio
// is against our single-thread figure; the second against all cores, as the backtest command runs.
var seriesCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
var work = Directory.CreateTempSubdirectory("earlywarning-detection-bench");
var seriesCsv = Path.Combine(work.FullName, "series.csv");
var timingsCsv = Path.Combine(work.FullName, "r-timings.csv");

Console.WriteLine($"Timing R (surveillance) on {seriesCount} weekly series of 340 periods, periods 264-340 evaluated ...");
using (var r = Process.Start(new ProcessStartInfo("Rscript", [Path.Combine(AppContext.BaseDirectory, "r-benchmark.R"), seriesCsv, timingsCsv, seriesCount.ToString(CultureInfo.InvariantCulture)]))!)
{
    await r.WaitForExitAsync();
    if (r.ExitCode != 0) throw new InvalidOperationException($"Rscript failed with {r.ExitCode}");
}
var rTimings = File.ReadLines(timingsCsv).Skip(1).Select(l => l.Split(','))
    .ToDictionary(f => f[0], f => (Evaluations: double.Parse(f[1], CultureInfo.InvariantCulture), Seconds: double.Parse(f[2], CultureInfo.InvariantCulture)));
var series = File.ReadLines(seriesCsv).Skip(1).Select(l => l.Split(','))
    .GroupBy(f => f[0]).Select(g => g.Select(f => double.Parse(f[2], CultureInfo.InvariantCulture)).ToArray()).ToArray();
var range = new EvaluationRange(264, 340);

(string Setting, Detector Detector)[] settings =
[
    ("ears-c1", Detector.Create("ears-c1", new Dictionary<string, string>())),
    ("ears-c2", Detector.Create("ears-c2", new Dictionary<string, string>())),
    ("ears-c3", Detector.Create("ears-c3", new Dictionary<string, string>())),
    ("farrington-flexible", Detector.Create("farrington-flexible", new Dictionary<string, string>())),
    ("farrington-flexible-noufaily", Detector.Create("farrington-flexible", new Dictionary<string, string>
        { ["noPeriods"] = "10", ["pastWeeksNotIncluded"] = "26", ["thresholdMethod"] = "nbPlugin", ["pThresholdTrend"] = "1" })),
    ("cusum", Detector.Create("cusum", new Dictionary<string, string>())),
];

Console.WriteLine();
Console.WriteLine($"{"algorithm",-30} {"R evals/s",12} {"ours, 1 core",14} {"ours, all cores",16} {"ratio, 1 core",14} {"all cores",10} {"ns per eval",12}");
foreach (var (setting, detector) in settings)
{
    var single = Measure(() => { foreach (var s in series) detector.Evaluate(s, 52, range); });
    var parallel = Measure(() => Parallel.ForEach(series, s => detector.Evaluate(s, 52, range)));
    var perRun = series.Length * (double)(range.To - range.From + 1);
    var ours = perRun / single;
    var oursAll = perRun / parallel;
    var rRate = rTimings[setting].Evaluations / Math.Max(rTimings[setting].Seconds, 0.001);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{setting,-30} {rRate,12:N0} {ours,14:N0} {oursAll,16:N0} {ours / rRate,13:N0}x {oursAll / rRate,9:N0}x {1e9 / ours,12:N0}"));
}
Console.WriteLine();
Console.WriteLine("R's figure comes from system.time() around one call over all series (farringtonFlexible, earsC) or a loop (algo.cusum);");
Console.WriteLine("a timer resolution of 1 ms limits it for the fastest algorithms, so their ratios are lower bounds.");
work.Delete(recursive: true);

// Seconds per pass over all series: warm up, then repeat for at least a second and take the best pass.
static double Measure(Action pass)
{
    pass();
    var best = double.MaxValue;
    var total = Stopwatch.StartNew();
    while (total.Elapsed < TimeSpan.FromSeconds(1))
    {
        var once = Stopwatch.StartNew();
        pass();
        best = Math.Min(best, once.Elapsed.TotalSeconds);
    }
    return best;
}
