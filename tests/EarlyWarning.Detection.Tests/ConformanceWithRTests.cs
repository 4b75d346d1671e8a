using System.Globalization;
using System.Text;

namespace EarlyWarning.Detection.Tests;

/// <summary>
/// Every algorithm and setting against R's surveillance package (Fixtures/generate.R): upper bounds equal to
/// a relative 1e-6, identical alarms, and no bound exactly where R has none. On a series with missing weeks (NA in R,
/// NaN here) farringtonFlexible is held to R everywhere; EARS and CUSUM only where R has an answer, since where a
/// missing week reaches them R's bound or sum is NA and ours follow their own documented rule (Ears, Cusum).
/// </summary>
public sealed class ConformanceWithRTests
{
    private const double RelativeTolerance = 1e-6;

    public static TheoryData<string, string> CasesAndSeries()
    {
        var data = new TheoryData<string, string>();
        foreach (var (caseName, series) in RFixtures.Results.Value.Keys.OrderBy(k => k.Case).ThenBy(k => k.Series)) data.Add(caseName, series);
        return data;
    }

    [Theory]
    [MemberData(nameof(CasesAndSeries))]
    public void Bounds_alarms_and_missing_bounds_match_R(string caseName, string seriesName)
    {
        var fixture = RFixtures.Cases.Value[caseName];
        var counts = RFixtures.Series.Value[seriesName];
        var detector = Detector.Create(fixture.Algorithm, fixture.Parameters);

        var ours = detector.Evaluate(counts, 52, new EvaluationRange(fixture.From, fixture.To)).ToDictionary(r => r.Period);

        var hasMissingWeeks = counts.Any(double.IsNaN);
        var beyondR = hasMissingWeeks && fixture.Algorithm != "farrington-flexible";

        var mismatches = new StringBuilder();
        var compared = 0;
        foreach (var r in RFixtures.Results.Value[(caseName, seriesName)].Where(e => e.Period >= fixture.From))
        {
            // R's CUSUM writes its NA bound as 0, so an NA alarm is how R says it has no answer.
            if (beyondR && (r.UpperBound is null || r.Alarm is null)) continue;
            var mine = ours[r.Period];
            string? problem = null;
            if (r.UpperBound is null != mine.UpperBound is null)
                problem = $"bound R={Show(r.UpperBound)} ours={Show(mine.UpperBound)}";
            else if (r.UpperBound is { } bound && !Close(mine.UpperBound!.Value, bound))
                problem = $"bound R={Show(bound)} ours={Show(mine.UpperBound)}";
            else if ((r.Alarm ?? false) != mine.Alarm)
                problem = $"alarm R={r.Alarm} ours={mine.Alarm} (bound {Show(bound: r.UpperBound)}, observed {mine.Observed})";
            else if (r.ExpectedValue is { } expected && r.UpperBound is not null && !Close(mine.Expected ?? double.NaN, expected))
                problem = $"expected R={Show(expected)} ours={Show(mine.Expected)}";
            if (problem is not null) mismatches.AppendLine(CultureInfo.InvariantCulture, $"  period {r.Period}: {problem}");
            if (r.UpperBound is not null) compared++;
        }
        Assert.True(mismatches.Length == 0, $"{caseName} on {seriesName} differs from R:\n{mismatches}");
        Assert.True(compared > 0 || caseName.Contains("limit54") || hasMissingWeeks, "no period with a bound was compared");
    }

    public static TheoryData<string, string> CasesAndSeriesWithMissingWeeks()
    {
        var data = new TheoryData<string, string>();
        foreach (var (caseName, series) in RFixtures.Results.Value.Keys.OrderBy(k => k.Case).ThenBy(k => k.Series))
            if (RFixtures.Series.Value[series].Any(double.IsNaN)) data.Add(caseName, series);
        return data;
    }

    [Theory]
    [MemberData(nameof(CasesAndSeriesWithMissingWeeks))]
    public void On_series_with_missing_weeks_a_bound_prepared_from_the_history_decides_as_the_whole_series_does(string caseName, string seriesName)
    {
        var fixture = RFixtures.Cases.Value[caseName];
        var counts = RFixtures.Series.Value[seriesName];
        var detector = Detector.Create(fixture.Algorithm, fixture.Parameters);
        var from = Math.Max(2, fixture.From);

        foreach (var whole in detector.Evaluate(counts, 52, new EvaluationRange(from, counts.Length)))
        {
            // CUSUM's sum starts where the range does: prepared from the history alone, the range starts at the period.
            var expected = fixture.Algorithm == "cusum" ? detector.Evaluate(counts, 52, new EvaluationRange(whole.Period, whole.Period))[0] : whole;
            Assert.Equal(expected, detector.Prepare(counts[..(whole.Period - 1)], 52).Decide(whole.Period, counts[whole.Period - 1]));
        }
    }

    private static bool Close(double ours, double r) =>
        Math.Abs(ours - r) <= RelativeTolerance * Math.Abs(r) || Math.Abs(ours - r) < 1e-9;

    private static string Show(double? bound) => bound?.ToString("R", CultureInfo.InvariantCulture) ?? "none";
}
