using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.UnitTests.Alerting;

public sealed class DetectorChoiceTests
{
    private static readonly DateOnly Week0 = new(2022, 1, 3);
    private static readonly SeriesJudge Judge = new(new DetectionPolicy());

    /// <summary>Counts around 50 (47..55, repeating every 9 weeks), then the judged week.</summary>
    private static Dictionary<DateOnly, long?> Series(int history, long last, params int[] gaps)
    {
        var totals = new Dictionary<DateOnly, long?>();
        for (var i = 0; i < history; i++)
            if (!gaps.Contains(i)) totals[Week0.AddDays(7 * i)] = 47 + i * 4 % 9;
        totals[Week0.AddDays(7 * history)] = last;
        return totals;
    }

    private static Verdict Last(Dictionary<DateOnly, long?> totals) => Judge.Judge(totals, totals.Keys.Max());

    [Fact]
    public void Eight_weeks_of_history_are_not_enough_and_the_verdict_says_so()
    {
        var verdict = Last(Series(8, 200));
        Assert.False(verdict.Judged);
        Assert.False(verdict.Surge);
        Assert.Equal("not enough history: 8 week(s) before it, the shortest rule needs 9", verdict.Reason);
    }

    [Fact]
    public void Nine_to_fifty_four_weeks_are_judged_by_ears_c2()
    {
        var verdict = Last(Series(12, 200));
        Assert.Equal("ears-c2", verdict.Algorithm);
        Assert.True(verdict.Surge);
        Assert.Equal("ears-c2", Last(Series(54, 200)).Algorithm);
    }

    [Fact]
    public void From_fifty_five_weeks_farrington_flexible_looks_one_year_back_and_from_107_two_years()
    {
        Assert.Equal("farrington-flexible b=1", Last(Series(55, 200)).Algorithm);
        Assert.Equal("farrington-flexible b=1", Last(Series(106, 200)).Algorithm);
        var twoYears = Last(Series(107, 200));
        Assert.Equal("farrington-flexible b=2", twoYears.Algorithm);
        Assert.True(twoYears.Surge);
        Assert.InRange(twoYears.Expected!.Value, 45, 56);
    }

    [Fact]
    public void A_usual_count_is_judged_and_is_not_a_surge()
    {
        var verdict = Last(Series(120, 52));
        Assert.True(verdict.Judged);
        Assert.False(verdict.Surge);
        Assert.StartsWith("52 does not exceed the bound", verdict.Reason);
    }

    [Fact]
    public void A_week_never_reported_is_missing_rather_than_zero_and_does_not_cut_the_history_short()
    {
        // 120 weeks, but weeks 100 and 115 were never reported: the history still reaches back 120 weeks.
        var gaps = Last(Series(120, 200, gaps: [100, 115]));
        Assert.Equal("farrington-flexible b=2", gaps.Algorithm);
        Assert.True(gaps.Surge);
        // Counted as zero, the missing weeks would have lowered the expected count; missing, they leave it where the others put it.
        Assert.InRange(gaps.Expected!.Value, 45, 56);
        Assert.Equal("ears-c2", Last(Series(20, 200, gaps: [15])).Algorithm);
    }

    [Fact]
    public void A_week_the_series_lacks_but_its_publisher_reported_is_a_zero()
    {
        // A series of 4 a week on average: 6 in two weeks of three, nothing in the third, whose row the file leaves out.
        var totals = new Dictionary<DateOnly, WeekCount>();
        for (var i = 0; i < 120; i++)
            if (i % 3 != 0) totals[Week0.AddDays(7 * i)] = 6;
        totals[Week0.AddDays(7 * 120)] = 12;
        var reported = Enumerable.Range(0, 121).Select(i => Week0.AddDays(7 * i)).ToHashSet();
        var missing = Judge.Judge(totals, Week0.AddDays(7 * 120));
        var zeros = Judge.JudgeWithBasis(totals, Week0.AddDays(7 * 120), reported).Verdict;
        Assert.True(zeros.Expected < missing.Expected, $"zeros: expected {zeros.Expected}, missing: {missing.Expected}");
        Assert.Equal("farrington-flexible b=2", zeros.Algorithm);
        Assert.InRange(zeros.Expected!.Value, 3.5, 4.5);
    }

    [Fact]
    public void A_suppressed_week_without_bounds_is_not_judged_unless_what_is_known_decides_it_and_a_deleted_one_says_it_has_no_count()
    {
        var totals = Series(20, 200);
        totals[totals.Keys.Max()] = null;
        var verdict = Last(totals);
        Assert.False(verdict.Judged);
        Assert.StartsWith("suppressed (0 or more): the bound", verdict.Reason);
        Assert.StartsWith("no count", Judge.Judge(totals, Week0.AddDays(7 * 30)).Reason);
    }

    private static Dictionary<DateOnly, WeekCount> Censored(int history, WeekCount last, Func<int, WeekCount>? week = null)
    {
        var totals = Series(history, 0).ToDictionary(t => t.Key, t => WeekCount.Exact(t.Value!.Value));
        if (week is not null) for (var i = 0; i < history; i++) totals[Week0.AddDays(7 * i)] = week(i);
        totals[Week0.AddDays(7 * history)] = last;
        return totals;
    }

    [Fact]
    public void A_suppressed_week_under_k_is_judged_no_surge_when_even_its_upper_end_is_none()
    {
        var verdict = Judge.Judge(Censored(120, new WeekCount(1, 4)), Week0.AddDays(7 * 120));
        Assert.True(verdict.Judged);
        Assert.False(verdict.Surge);
        Assert.Null(verdict.Observed);
        Assert.StartsWith("suppressed (1-4): not a surge even at 4", verdict.Reason);
    }

    [Fact]
    public void A_partly_suppressed_week_is_a_surge_only_when_its_lower_end_is_one_and_is_not_judged_when_the_bound_lies_within()
    {
        var surge = Judge.Judge(Censored(120, new WeekCount(180, 220)), Week0.AddDays(7 * 120));
        Assert.True(surge.Surge);
        Assert.Equal(180, surge.Observed);
        var straddling = Judge.Judge(Censored(120, new WeekCount(40, 400)), Week0.AddDays(7 * 120));
        Assert.False(straddling.Judged);
        Assert.False(straddling.Surge);
        Assert.Contains("lies within what is known of the count", straddling.Reason);
        Assert.False(Judge.Judge(Censored(120, new WeekCount(40, null)), Week0.AddDays(7 * 120)).Judged);
    }

    [Fact]
    public void Censored_weeks_of_the_history_enter_as_their_midpoint_or_as_missing_as_the_policy_says()
    {
        // Every other week of a series of about 3 a week is suppressed under k = 5 (1 to 4); the known ones are 5 or more.
        WeekCount Week(int i) => i % 2 == 0 ? new WeekCount(1, 4) : WeekCount.Exact(5 + i % 3);
        var midpoint = Judge.Judge(Censored(120, 6, Week), Week0.AddDays(7 * 120));
        var missing = new SeriesJudge(new DetectionPolicy { CensoredWeeks = CensoredWeeks.Missing }).Judge(Censored(120, 6, Week), Week0.AddDays(7 * 120));
        Assert.True(midpoint.Judged && missing.Judged);
        // As missing, only the weeks of 5 or more are left, which puts the expected count above what the series has.
        Assert.InRange(midpoint.Expected!.Value, 3.5, 5);
        Assert.InRange(missing.Expected!.Value, 5.5, 7);
    }

    [Fact]
    public void Small_counts_never_alert_however_unusual()
    {
        var totals = Enumerable.Range(0, 12).ToDictionary(i => Week0.AddDays(7 * i), i => (long?)(i % 2));
        totals[Week0.AddDays(7 * 12)] = 9;
        var verdict = Last(totals);
        Assert.False(verdict.Surge);
        Assert.StartsWith("9 is above the bound", verdict.Reason);
        Assert.EndsWith("below the minimum of 10 events", verdict.Reason);
    }

    [Fact]
    public void A_count_above_the_bound_but_not_twice_the_expected_one_is_no_surge()
    {
        // 99, 100, 101, … a week: EARS C2 expects 99.9 (weeks 3-9), sd 0.90, bound 99.9 + 3.09 × 0.90 = 102.6; 150 is far above it but only 1.5 times what was expected.
        var totals = Enumerable.Range(0, 12).ToDictionary(i => Week0.AddDays(7 * i), i => (long?)(99 + i % 3));
        totals[Week0.AddDays(7 * 12)] = 150;
        var verdict = Last(totals);
        Assert.False(verdict.Surge);
        Assert.Equal("150 is above the bound 102.6 but less than 2 times the expected 99.9", verdict.Reason);
        totals[Week0.AddDays(7 * 12)] = 201;
        Assert.True(Last(totals).Surge);
    }

    [Fact]
    public void Certainty_follows_the_detectors_probability()
    {
        var strong = Last(Series(12, 200));
        Assert.True(strong.Probability > 0.999);
        Assert.Equal("Likely", strong.Certainty);
        var usual = Last(Series(12, 51));
        Assert.True(usual.Probability < 0.99);
        Assert.Equal("Possible", usual.Certainty);
    }

    [Fact]
    public void The_configured_rules_replace_the_defaults_and_a_bad_one_is_named()
    {
        var policy = new DetectionPolicy { Detectors = [new() { MinimumHistory = 4, Algorithm = "cusum" }] };
        Assert.Equal("cusum", new SeriesJudge(policy).Judge(Series(5, 200), Week0.AddDays(35)).Algorithm);

        var bad = new DetectionPolicy
        {
            HistoryWeeks = 100,
            Detectors = [new() { MinimumHistory = 9, Algorithm = "ears-c9" }, new() { MinimumHistory = 107, Algorithm = "farrington-flexible", Parameters = new() { ["b"] = "two" } }],
        };
        var problems = bad.Problems();
        Assert.Contains(problems, p => p.StartsWith("Detection:Detectors:0: unknown algorithm 'ears-c9'"));
        Assert.Contains("Detection:Detectors:1:MinimumHistory 107 exceeds Detection:HistoryWeeks 100: the rule could never apply", problems);
        Assert.Contains(problems, p => p.StartsWith("Detection:Detectors:1: --b 'two' is not a whole number"));
        Assert.Throws<ArgumentException>(() => new SeriesJudge(bad));
    }
}
