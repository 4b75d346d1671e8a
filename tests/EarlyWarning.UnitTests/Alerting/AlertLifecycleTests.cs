using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.UnitTests.Alerting;

public sealed class AlertLifecycleTests
{
    private static readonly DateOnly Week0 = new(2025, 1, 6);
    private static readonly LifecycleRules Rules = new() { CloseAfter = 2, CoolDown = 4 };
    private static readonly SeverityRules Severity = new();

    /// <summary>One letter a week: S surge (count 100 over a bound of 50), s surge at 60, u under the bound, n not judged.</summary>
    private static List<Episode> Episodes(string weeks) =>
        AlertLifecycle.Episodes(weeks.Select((c, i) => Week(i, c)), Rules, Severity);

    private static Verdict Week(int i, char c) => c switch
    {
        'S' => new(Week0.AddDays(7 * i), 100, 30, 50, "ears-c2", true, 0.9999, null),
        's' => new(Week0.AddDays(7 * i), 60, 30, 50, "ears-c2", true, 0.999, null),
        'u' => new(Week0.AddDays(7 * i), 30, 30, 50, "ears-c2", false, 0.5, "under"),
        _ => new(Week0.AddDays(7 * i), null, null, null, null, false, null, "not enough history"),
    };

    private static DateOnly W(int i) => Week0.AddDays(7 * i);

    [Fact]
    public void A_week_above_the_bound_opens_one_alert()
    {
        var episode = Assert.Single(Episodes("uuSu"));
        Assert.Equal((W(2), W(2), (DateOnly?)null, 1), (episode.Start, episode.LastSurgeWeek, episode.ClosedWeek, episode.WeeksAbove));
    }

    [Fact]
    public void Later_weeks_above_the_bound_are_the_same_surge()
    {
        var episode = Assert.Single(Episodes("usSs"));
        Assert.Equal((W(1), W(3), 3, W(2)), (episode.Start, episode.LastSurgeWeek, episode.WeeksAbove, episode.Peak.Week));
    }

    [Fact]
    public void One_week_under_the_bound_does_not_close_it_and_two_do()
    {
        Assert.False(Assert.Single(Episodes("SuS")).Closed);
        var closed = Assert.Single(Episodes("SSuu"));
        Assert.Equal(W(3), closed.ClosedWeek);
        Assert.Equal(2, closed.WeeksAbove);
    }

    [Fact]
    public void Weeks_that_are_not_judged_neither_extend_nor_close_it()
    {
        var episode = Assert.Single(Episodes("Snnnu"));
        Assert.False(episode.Closed);
        Assert.Equal(1, episode.WeeksAbove);
        Assert.Equal(W(6), Assert.Single(Episodes("Snnnunu")).ClosedWeek);
    }

    [Fact]
    public void A_surge_within_the_cool_down_reopens_the_same_alert()
    {
        // Closed at week 2; week 6 is four weeks later.
        var episode = Assert.Single(Episodes("Suuuuus"));
        Assert.Equal((W(0), W(6), 2, (DateOnly?)null), (episode.Start, episode.LastSurgeWeek, episode.WeeksAbove, episode.ClosedWeek));
    }

    [Fact]
    public void A_surge_after_the_cool_down_is_a_new_alert()
    {
        var episodes = Episodes("Suuuuuus");
        Assert.Equal(2, episodes.Count);
        Assert.Equal((W(0), W(2)), (episodes[0].Start, episodes[0].ClosedWeek!.Value));
        Assert.Equal(W(7), episodes[1].Start);
    }

    [Fact]
    public void Severity_grows_with_the_duration_of_the_surge()
    {
        // Peak 100 over a bound of 50: ratio 2, Moderate at once; Severe from its third week above the bound.
        Assert.Equal(EarlyWarning.Detection.Surveillance.Severity.Moderate, Assert.Single(Episodes("S")).Severity);
        Assert.Equal(EarlyWarning.Detection.Surveillance.Severity.Moderate, Assert.Single(Episodes("SS")).Severity);
        Assert.Equal(EarlyWarning.Detection.Surveillance.Severity.Severe, Assert.Single(Episodes("SSs")).Severity);
        Assert.Equal(EarlyWarning.Detection.Surveillance.Severity.Minor, Assert.Single(Episodes("s")).Severity);
    }
}
