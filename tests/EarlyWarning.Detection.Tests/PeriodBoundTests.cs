using EarlyWarning.Detection.Surveillance;
using FsCheck;
using FsCheck.Fluent;

namespace EarlyWarning.Detection.Tests;

/// <summary>
/// A period's bound prepared from its history alone decides any count of the period exactly as the detector does on
/// the whole series, and a verdict's basis judges a revised count exactly as the judge does from the history.
/// </summary>
public sealed class PeriodBoundTests
{
    private static readonly (string Algorithm, Dictionary<string, string> Parameters)[] Settings =
    [
        ("ears-c1", new()), ("ears-c2", new()), ("ears-c3", new()),
        ("ears-c3", new() { ["baseline"] = "3", ["minSigma"] = "0.5" }),
        ("farrington-flexible", new()),
        ("farrington-flexible", new() { ["b"] = "1", ["noPeriods"] = "10", ["pastWeeksNotIncluded"] = "3", ["thresholdMethod"] = "nbPlugin", ["alpha"] = "0.001", ["trend"] = "FALSE" }),
        ("farrington-flexible", new() { ["thresholdMethod"] = "muan", ["b"] = "1", ["w"] = "0", ["powertrans"] = "none" }),
        ("farrington-flexible", new() { ["reweight"] = "FALSE", ["powertrans"] = "1/2", ["limit54"] = "0,1" }),
        ("cusum", new()),
        ("cusum", new() { ["m"] = "7" }),
    ];

    /// <summary>Weekly counts with a season and noise around a level of 0 to 300, sometimes with runs of zeros.</summary>
    private static readonly Gen<double[]> History =
        from length in Gen.Choose(1, 170)
        from level in Gen.Choose(0, 300)
        from seed in Gen.Choose(0, int.MaxValue)
        select Weekly(length, level, seed);

    private static readonly Gen<double> Count = Gen.OneOf(Gen.Choose(0, 20), Gen.Choose(0, 2000), Gen.Constant(0)).Select(c => (double)c);

    private static double[] Weekly(int length, int level, int seed)
    {
        var random = new Random(seed);
        var counts = new double[length];
        for (var t = 0; t < length; t++)
            counts[t] = seed % 7 == 0 && t % 13 < 4 ? 0
                : Math.Max(0, Math.Round(level * (1 + 0.4 * Math.Sin(2 * Math.PI * t / 52)) + Math.Sqrt(level + 1) * 2 * (random.NextDouble() - 0.5)));
        return counts;
    }

    [Fact]
    public void A_bound_prepared_from_the_history_decides_any_count_as_the_detector_does_on_the_whole_series()
    {
        var property = Prop.ForAll(History.ToArbitrary(), Count.ToArbitrary(), (history, count) =>
        {
            var counts = history.Append(count).ToArray();
            foreach (var (algorithm, parameters) in Settings)
            {
                var detector = Detector.Create(algorithm, parameters);
                var whole = detector.Evaluate(counts, 52, new EvaluationRange(counts.Length, counts.Length))[0];
                Assert.Equal(whole, detector.Prepare(history, 52).Decide(counts.Length, count));
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), property);
    }

    [Fact]
    public void With_missing_weeks_in_the_history_or_in_the_period_a_prepared_bound_still_decides_as_the_detector_does()
    {
        var missingCount = Gen.OneOf(Count, Gen.Constant(double.NaN));
        var property = Prop.ForAll(History.ToArbitrary(), MissingWeeks.Patterns.ToArbitrary(), missingCount.ToArbitrary(), (complete, missing, count) =>
        {
            var history = MissingWeeks.Apply(complete, missing);
            var counts = history.Append(count).ToArray();
            foreach (var (algorithm, parameters) in Settings)
            {
                var detector = Detector.Create(algorithm, parameters);
                var whole = detector.Evaluate(counts, 52, new EvaluationRange(counts.Length, counts.Length))[0];
                Assert.Equal(whole, detector.Prepare(history, 52).Decide(counts.Length, count));
                Assert.Equal(whole, detector.PrepareLast(counts, 52).Decide(counts.Length, count));
                Assert.False(whole.UpperBound is { } bound && double.IsNaN(bound), $"{algorithm}: bound {whole.UpperBound}");
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), property);
    }

    [Fact]
    public void A_bound_does_not_change_with_the_periods_before_the_detectors_lookback()
    {
        var property = Prop.ForAll(History.ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (history, seed) =>
        {
            foreach (var (algorithm, parameters) in Settings)
            {
                var detector = Detector.Create(algorithm, parameters);
                if (detector.Lookback(52) is not { } lookback || lookback >= history.Length) continue;
                var older = history.ToArray();
                var random = new Random(seed);
                for (var t = 0; t < history.Length - lookback; t++) older[t] = random.Next(0, 5000);
                Assert.Equal(detector.Prepare(history, 52), detector.Prepare(older, 52));
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), property);
    }

    [Fact]
    public void A_verdict_basis_judges_a_revised_count_as_the_judge_does_from_the_history_or_says_it_cannot()
    {
        var judge = new SeriesJudge(new DetectionPolicy());
        var week = new DateOnly(2026, 1, 5);
        var undecided = 0;
        var property = Prop.ForAll(History.ToArbitrary(), Count.ToArbitrary(), Count.ToArbitrary(), (history, first, revised) =>
        {
            var (_, basis) = judge.JudgeWithBasis(history.Append(first).ToArray(), week);
            var stored = VerdictBasis.FromBytes(basis.ToBytes())!;
            var decided = judge.Decide(stored, week, (long)revised);
            var judged = judge.Judge(history.Append(revised).ToArray(), week);
            if (decided is null)
            {
                // Only a count the rules tried leave unbounded, with rules left untried, is sent back to the history.
                Assert.False(basis.Exhaustive);
                Assert.False(basis.Steps[^1].Bound.BoundsEveryCount);
                undecided++;
            }
            else Assert.Equal(judged, decided);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
        Assert.True(undecided < 300, "every revised count was sent back to the history");
    }

    [Fact]
    public void A_basis_made_under_other_rules_is_not_used()
    {
        var week = new DateOnly(2026, 1, 5);
        var history = Weekly(120, 40, 11);
        var (_, basis) = new SeriesJudge(new DetectionPolicy()).JudgeWithBasis(history.Append(45).ToArray(), week);
        var other = new DetectionPolicy { Detectors = [new() { MinimumHistory = 9, Algorithm = "ears-c2", Parameters = new() { ["alpha"] = "0.01" } }] };
        Assert.Null(new SeriesJudge(other).Decide(basis, week, 45));
        Assert.NotNull(new SeriesJudge(new DetectionPolicy { MinimumCount = 3 }).Decide(basis, week, 45));
    }

    [Fact]
    public void A_basis_survives_its_bytes_and_bytes_of_another_format_are_refused()
    {
        var (_, basis) = new SeriesJudge(new DetectionPolicy()).JudgeWithBasis(Weekly(120, 40, 11).Append(45).ToArray(), new DateOnly(2026, 1, 5));
        var bytes = basis.ToBytes();
        var back = VerdictBasis.FromBytes(bytes)!;
        Assert.Equal((basis.Judge, basis.History, basis.Exhaustive), (back.Judge, back.History, back.Exhaustive));
        Assert.Equal(basis.Steps, back.Steps);
        bytes[0] = 99;
        Assert.Null(VerdictBasis.FromBytes(bytes));
        Assert.Null(VerdictBasis.FromBytes(bytes.AsSpan(0, 5)));
    }
}
