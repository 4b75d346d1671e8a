using EarlyWarning.Alerting.Detection;
using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.UnitTests.Alerting;

public sealed class RegionWideWeekTests
{
    private static readonly DateOnly Week = new(2025, 3, 3);
    private static DateOnly Back(int weeks) => Week.AddDays(-7 * weeks);

    private static WeeklySeries Venezuelans(Dictionary<string, HashSet<DateOnly>> byCountry) =>
        new(new SeriesKey(SeriesLevel.Parse("nationality"), SeriesKey.All, SeriesKey.All, "VEN", SeriesKey.All), [], null, byCountry);

    [Fact]
    public void A_week_across_the_region_awaits_every_country_that_reported_the_weeks_before_it()
    {
        var series = Venezuelans(new()
        {
            ["CHL"] = [Back(2), Back(1), Week],
            ["PER"] = [Back(3), Back(1)],
            ["COL"] = [Back(5)],
        });
        // Peru reported last week and not this one yet; Colombia has not reported for five weeks and is not waited for.
        Assert.Equal(["PER"], series.Awaited(Week));
        // A week earlier, Colombia's last report was four weeks before: it is still waited for.
        Assert.Equal(["COL"], series.Awaited(Back(1)));
    }

    [Fact]
    public void A_series_of_one_country_awaits_nobody()
    {
        var chile = new WeeklySeries(new SeriesKey(SeriesLevel.Parse("country"), "CHL", SeriesKey.All, SeriesKey.All, SeriesKey.All), [], new HashSet<DateOnly> { Back(1) });
        Assert.Empty(chile.Awaited(Week));
    }
}
