using System.Globalization;

namespace EarlyWarning.Detection.Tests;

/// <summary>The outputs of R's surveillance package written by Fixtures/generate.R.</summary>
internal static class RFixtures
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public sealed record Case(string Name, string Algorithm, IReadOnlyDictionary<string, string> Parameters, int From, int To);

    public sealed record Expected(int Period, double? ExpectedValue, double? UpperBound, bool? Alarm);

    /// <summary>The series by name; a missing week (NA, an empty field) is NaN, as the series judge hands it to the detectors.</summary>
    public static readonly Lazy<Dictionary<string, double[]>> Series = new(() =>
        Lines("series.csv").Select(f => (Series: f[0], Period: int.Parse(f[1], CultureInfo.InvariantCulture), Count: Number(f[2]) ?? double.NaN))
            .GroupBy(r => r.Series)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Period).Select(r => r.Count).ToArray()));

    public static readonly Lazy<Dictionary<string, Case>> Cases = new(() =>
        Lines("cases.csv").Select(f => new Case(f[0], f[1],
                f[2].Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]),
                int.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture)))
            .ToDictionary(c => c.Name));

    public static readonly Lazy<Dictionary<(string Case, string Series), List<Expected>>> Results = new(() =>
        Lines("expected.csv")
            .GroupBy(f => (f[0], f[1]))
            .ToDictionary(g => g.Key, g => g.Select(f => new Expected(int.Parse(f[2], CultureInfo.InvariantCulture), Number(f[3]), Number(f[4]),
                f[5] == "" ? null : f[5] == "1")).ToList()));

    private static double? Number(string text) =>
        text is "" or "NA" ? null : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static IEnumerable<string[]> Lines(string file) =>
        File.ReadLines(Path.Combine(Folder, file)).Skip(1).Select(l => l.Split(',').Select(f => f.Trim('"')).ToArray());
}
