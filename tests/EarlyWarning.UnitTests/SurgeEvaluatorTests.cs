using EarlyWarning.Alerting.Detection;

namespace EarlyWarning.UnitTests;

public sealed class SurgeEvaluatorTests
{
    private static readonly DateOnly Week0 = new(2024, 1, 1);
    private static readonly SeriesKey Key = new("CHL", "CHL-COLCHANE", "VEN", "IRREGULAR_ENTRY");
    private static readonly DetectionOptions Options = new();

    private static WeeklySeries Series(params long?[] counts) =>
        new(Key, new SortedDictionary<DateOnly, long?>(counts.Select((c, i) => (c, i)).Where(p => p.c != -1)
            .ToDictionary(p => Week0.AddDays(7 * p.i), p => p.c)));

    [Fact]
    public void A_week_far_above_its_seven_week_baseline_is_a_surge()
    {
        var surge = Assert.Single(SurgeEvaluator.Evaluate(Series(40, 42, 38, 41, 39, 40, 43, 160), [Week0.AddDays(49)], Options));
        Assert.Equal((Week0.AddDays(49), 160L), (surge.Period, surge.Observed));
        Assert.Equal(40.43, surge.Expected, 2);
    }

    [Fact]
    public void A_week_within_the_usual_variation_is_not()
    {
        Assert.Empty(SurgeEvaluator.Evaluate(Series(40, 42, 38, 41, 39, 40, 43, 45), [Week0.AddDays(49)], Options));
    }

    [Fact]
    public void A_missing_week_in_the_baseline_means_not_enough_history_rather_than_zero()
    {
        Assert.Empty(SurgeEvaluator.Evaluate(Series(40, 42, -1, 41, 39, 40, 43, 160), [Week0.AddDays(49)], Options));
    }

    [Fact]
    public void A_suppressed_week_in_the_baseline_is_not_taken_as_zero()
    {
        Assert.Empty(SurgeEvaluator.Evaluate(Series(40, 42, null, 41, 39, 40, 43, 160), [Week0.AddDays(49)], Options));
    }

    [Fact]
    public void A_late_week_completes_the_history_of_the_weeks_after_it()
    {
        // Week 2 arrives last; week 7 could not be judged before and is judged now.
        var surge = Assert.Single(SurgeEvaluator.Evaluate(Series(40, 42, 38, 41, 39, 40, 43, 160), [Week0.AddDays(14)], Options));
        Assert.Equal(Week0.AddDays(49), surge.Period);
    }

    [Fact]
    public void Small_counts_do_not_alert_however_unusual()
    {
        Assert.Empty(SurgeEvaluator.Evaluate(Series(1, 0, 1, 0, 1, 0, 1, 9), [Week0.AddDays(49)], Options));
    }
}
