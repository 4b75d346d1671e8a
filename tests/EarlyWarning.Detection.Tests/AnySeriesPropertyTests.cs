using FsCheck;
using FsCheck.Fluent;

namespace EarlyWarning.Detection.Tests;

/// <summary>No algorithm throws, or returns NaN, on any series of non-negative counts, with or without missing weeks.</summary>
public sealed class AnySeriesPropertyTests
{
    private static readonly (string Algorithm, Dictionary<string, string> Parameters)[] Settings =
    [
        ("ears-c1", new()), ("ears-c2", new()), ("ears-c3", new()),
        ("ears-c3", new() { ["baseline"] = "3", ["minSigma"] = "0.5" }),
        ("farrington-flexible", new()),
        ("farrington-flexible", new() { ["noPeriods"] = "10", ["pastWeeksNotIncluded"] = "26", ["thresholdMethod"] = "nbPlugin", ["pThresholdTrend"] = "1" }),
        ("farrington-flexible", new() { ["thresholdMethod"] = "muan", ["b"] = "1", ["w"] = "0", ["powertrans"] = "none" }),
        ("farrington-flexible", new() { ["reweight"] = "FALSE", ["powertrans"] = "1/2", ["limit54"] = "0,1" }),
        ("cusum", new()),
    ];

    /// <summary>Counts as they come: mostly small, many zeros, runs of zeros, and now and then a huge value.</summary>
    private static readonly Gen<double[]> Series =
        Gen.OneOf(
            Gen.Choose(0, 30),
            Gen.Constant(0),
            Gen.Choose(0, 1_000_000),
            Gen.Elements(int.MaxValue, 1_000_000_000))
        .Select(c => (double)c)
        .ArrayOf()
        .Zip(Gen.Choose(0, 330), (counts, pad) => pad % 3 == 0 ? counts.Concat(new double[pad]).ToArray() : counts);

    private static void EveryResultIsSane(Detector detector, double[] counts, int frequency, EvaluationRange range)
    {
        var results = detector.Evaluate(counts, frequency, range);
        var expectedCount = Math.Max(0, Math.Min(counts.Length, range.To) - Math.Max(1, range.From) + 1);
        Assert.Equal(expectedCount, results.Length);
        foreach (var r in results)
        {
            Assert.False(r.UpperBound is { } u && (double.IsNaN(u) || u < 0), $"{detector.Algorithm}: bound {r.UpperBound} at {r.Period}");
            Assert.False(r.Expected is { } e && double.IsNaN(e), $"{detector.Algorithm}: expected NaN at {r.Period}");
            Assert.False(r.Score is { } s && double.IsNaN(s), $"{detector.Algorithm}: score NaN at {r.Period}");
            Assert.True(!r.Alarm || r.HasBound, $"{detector.Algorithm}: alarm without a bound at {r.Period}");
            Assert.True(!r.Alarm || !double.IsNaN(r.Observed), $"{detector.Algorithm}: alarm for a missing week at {r.Period}");
        }
    }

    [Fact]
    public void No_algorithm_throws_or_returns_NaN_on_any_series_with_missing_weeks()
    {
        var property = Prop.ForAll(Series.ToArbitrary(), MissingWeeks.Patterns.ToArbitrary(), Gen.Elements(52, 12).ToArbitrary(),
            (complete, missing, frequency) =>
            {
                var counts = MissingWeeks.Apply(complete, missing);
                foreach (var (algorithm, parameters) in Settings)
                    EveryResultIsSane(Detector.Create(algorithm, parameters), counts, frequency, EvaluationRange.All(counts.Length));
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property);
    }

    [Fact]
    public void No_algorithm_throws_on_any_series_of_non_negative_counts()
    {
        var property = Prop.ForAll(Series.ToArbitrary(), Gen.Choose(-5, 400).Two().ToArbitrary(), Gen.Elements(52, 12).ToArbitrary(),
            (counts, ends, frequency) =>
            {
                foreach (var (algorithm, parameters) in Settings)
                {
                    var detector = Detector.Create(algorithm, parameters);
                    EveryResultIsSane(detector, counts, frequency, EvaluationRange.All(counts.Length));
                    EveryResultIsSane(detector, counts, frequency, new EvaluationRange(ends.Item1, ends.Item2));
                }
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(300)]
    public void Edge_series_give_a_result_per_period_and_no_bound_without_history(int length)
    {
        foreach (var counts in new[] { new double[length], Enumerable.Repeat(3.0, length).ToArray(), OneHuge(length) })
        foreach (var (algorithm, parameters) in Settings)
            EveryResultIsSane(Detector.Create(algorithm, parameters), counts, 52, EvaluationRange.All(length));
    }

    [Fact]
    public void A_series_shorter_than_the_baseline_has_no_bound_anywhere()
    {
        var counts = new double[] { 4, 9, 2, 30, 1 };
        foreach (var algorithm in new[] { "ears-c1", "ears-c2", "ears-c3", "farrington-flexible" })
            Assert.All(Detector.Create(algorithm, new Dictionary<string, string>()).Evaluate(counts, 52, EvaluationRange.All(5)),
                r => Assert.True(r.NotEnoughHistory));
    }

    private static double[] OneHuge(int length)
    {
        var counts = Enumerable.Repeat(2.0, length).ToArray();
        if (length > 0) counts[length / 2] = 1e12;
        return counts;
    }
}
