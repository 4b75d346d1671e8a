namespace EarlyWarning.Detection.Tests;

/// <summary>
/// What EARS and CUSUM do with missing weeks (NaN), where R's answer is NA (Ears, Cusum say why): they go on with the
/// weeks present. farringtonFlexible follows R, which ConformanceWithRTests checks.
/// </summary>
public sealed class MissingWeeksBeyondRTests
{
    private const double M = double.NaN;
    private static readonly Dictionary<string, string> Defaults = new();

    [Theory]
    [InlineData("ears-c1")]
    [InlineData("ears-c2")]
    public void EARS_C1_and_C2_take_the_baseline_from_the_weeks_present_as_if_the_missing_ones_had_never_been(string algorithm)
    {
        double[] withMissing = [12, 9, 4, 11, 5, M, 7, 9, M, 6, 8, 10, 7, 9, 30];
        double[] without = [12, 9, 4, 11, 5, 7, 9, 6, 8, 10, 7, 9, 30];
        // The week after the gap is judged against a baseline of 5 weeks present of 7, i.e. one of 5 without the gaps.
        var shorter = new Dictionary<string, string> { ["baseline"] = "5" };
        var guard = algorithm == "ears-c1" ? 0 : 2;
        var judgedWithMissing = 1 + 9 + guard;
        var judgedWithout = judgedWithMissing - 2;

        var ours = Detector.Create(algorithm, Defaults).Evaluate(withMissing, 52, EvaluationRange.All(withMissing.Length))[judgedWithMissing - 1];
        var reference = Detector.Create(algorithm, shorter).Evaluate(without, 52, EvaluationRange.All(without.Length))[judgedWithout - 1];

        Assert.True(ours.HasBound);
        Assert.Equal((reference.Expected, reference.UpperBound, reference.Score, reference.Alarm), (ours.Expected, ours.UpperBound, ours.Score, ours.Alarm));
    }

    [Fact]
    public void EARS_has_no_bound_when_fewer_than_three_weeks_of_its_baseline_are_present()
    {
        var c1 = Detector.Create("ears-c1", Defaults);
        Assert.False(c1.Prepare([4, M, M, M, M, M, 5], 52).Decide(8, 9).HasBound);
        Assert.True(c1.Prepare([4, M, M, M, M, 6, 5], 52).Decide(8, 9).HasBound);
        Assert.False(c1.Prepare([M, M, M, M, M, M, M], 52).Decide(8, 9).HasBound);
    }

    [Fact]
    public void EARS_C3_counts_no_excess_for_a_missing_lagged_week()
    {
        double[] history = [5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 40, 45];
        var surging = Ears.PrepareC3(history);
        history[^1] = M;
        history[^2] = M;
        var missing = Ears.PrepareC3(history);

        Assert.True(surging.D > 0);
        Assert.Equal(PeriodBoundKind.EarsC3, missing.Kind);
        Assert.Equal(0, missing.D);
        Assert.True(missing.Decide(13, 10).UpperBound > surging.Decide(13, 10).UpperBound, "an unknown excess lowered the bound");
    }

    [Fact]
    public void A_missing_week_has_no_CUSUM_result_and_the_sum_goes_on_as_if_it_had_never_been()
    {
        double[] withMissing = [10, 12, 9, 11, 10, 14, 18, M, 25, 9, 30, M, M, 8, 11];
        var without = withMissing.Where(c => !double.IsNaN(c)).ToArray();
        var cusum = Detector.Create("cusum", Defaults);

        var ours = cusum.Evaluate(withMissing, 52, new EvaluationRange(6, withMissing.Length));
        var reference = cusum.Evaluate(without, 52, new EvaluationRange(6, without.Length));

        Assert.All(ours.Where(r => double.IsNaN(r.Observed)), r => Assert.Equal(PeriodResult.WithoutBound(r.Period, r.Observed), r));
        Assert.Equal(reference.Select(r => (r.Expected, r.UpperBound, r.Score, r.Alarm)),
            ours.Where(r => !double.IsNaN(r.Observed)).Select(r => (r.Expected, r.UpperBound, r.Score, r.Alarm)));
        Assert.Contains(reference, r => r.Alarm);
    }

    [Fact]
    public void CUSUM_takes_m_from_the_weeks_present_and_has_no_bound_without_any()
    {
        var cusum = Detector.Create("cusum", Defaults);
        Assert.Equal(11, cusum.Prepare([10, M, 12, M], 52).A);
        Assert.Equal(PeriodBound.NoBound, cusum.Prepare([M, M, M], 52));
        Assert.All(cusum.Evaluate([M, 4, 5, 6], 52, EvaluationRange.All(4)), r => Assert.False(r.HasBound));
    }
}
