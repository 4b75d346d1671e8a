using EarlyWarning.Alerting.Detection;
using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.UnitTests.Alerting;

public sealed class SeriesLevelTests
{
    private static readonly DateOnly Week = new(2025, 3, 3);
    private static readonly SeriesKey Colchane = new("CHL", "CHL-COLCHANE", "VEN", "IRREGULAR_ENTRY");
    private static SeriesLevel L(string name) => SeriesLevel.Parse(name);

    [Fact]
    public void A_level_is_read_in_any_order_and_case_and_named_canonically()
    {
        Assert.Equal("country+borderPoint+nationality", L("Nationality + BORDERPOINT + country").Name);
        Assert.Equal(SeriesLevel.Finest, L("category+nationality+borderPoint+country"));
        Assert.True(L("country+category").IsFinerThan(L("country")));
        Assert.False(L("country").IsFinerThan(L("nationality")));
        Assert.False(L("country").IsFinerThan(L("country")));
    }

    [Theory]
    [InlineData("borderPoint", "'borderPoint' has borderPoint without country: a border point belongs to its reporting country")]
    [InlineData("country+region", "'region' in 'country+region' is not a dimension (country, borderPoint, nationality, category)")]
    [InlineData("country+Country", "'country+Country' names country twice")]
    [InlineData(" ", "is empty: name one or more of country, borderPoint, nationality, category joined by '+'")]
    public void A_level_that_is_not_one_is_refused_with_the_reason(string text, string reason)
    {
        Assert.False(SeriesLevel.TryParse(text, out _, out var problem));
        Assert.Equal(reason, problem);
    }

    [Fact]
    public void The_finest_series_keeps_its_stored_text_and_every_other_level_starts_with_its_name()
    {
        Assert.Equal("CHL|CHL-COLCHANE|VEN|IRREGULAR_ENTRY", Colchane.ToString());
        Assert.Equal("country|CHL", Colchane.At(L("country")).ToString());
        Assert.Equal("nationality+category|VEN|IRREGULAR_ENTRY", Colchane.At(L("category+nationality")).ToString());
        var corridor = Colchane.At(L("country+borderPoint+nationality"));
        Assert.Equal(("CHL", "CHL-COLCHANE", "VEN", "_T"), (corridor.Country, corridor.BorderPoint, corridor.Nationality, corridor.Category));
        Assert.Null(Colchane.At(L("nationality")).ReportingCountry);
    }

    [Fact]
    public void Two_different_series_never_share_a_stored_text()
    {
        // A border point may contain '|' or '\': escaped, it cannot pass for two parts.
        var a = new SeriesKey("CHL", "A|B", "VEN", "X").At(L("country+borderPoint+nationality"));
        var b = new SeriesKey("CHL", "A", "B|VEN", "X").At(L("country+borderPoint+nationality"));
        Assert.NotEqual(a.ToString(), b.ToString());
        var keys = SeriesLevel.DefaultNames.Select(L).SelectMany(level => new[] { a, b, Colchane }.Select(k => k.At(level))).ToList();
        Assert.Equal(keys.Distinct().Count(), keys.Select(k => k.ToString()).Distinct().Count());
    }

    [Fact]
    public void A_revised_cell_moves_the_total_of_every_level_by_the_difference_and_re_judges_its_week()
    {
        var levels = new[] { L("country"), L("nationality"), SeriesLevel.Finest };
        var old = new CellState(Colchane, Week, true, 40, false);
        var (deltas, changed) = SeriesAggregation.Of(levels, [(old, old with { Count = 130 })]);
        Assert.Equal(3, deltas.Count);
        Assert.All(deltas.Values, d => Assert.Equal(new WeekDelta(90, 0, 0), d));
        Assert.Equal(new WeekDelta(90, 0, 0), deltas[(Colchane.At(L("country")), Week)]);
        Assert.All(changed.Values, weeks => Assert.Equal([Week], weeks));
    }

    [Fact]
    public void A_deleted_or_suppressed_cell_leaves_its_weeks_totals_and_a_breakdown_cell_never_counts()
    {
        var levels = new[] { L("country") };
        var country = Colchane.At(L("country"));
        var stored = new CellState(Colchane, Week, true, 40, false);
        Assert.Equal(new WeekDelta(-40, 0, -1), SeriesAggregation.Of(levels, [(stored, stored with { Deleted = true })]).Deltas[(country, Week)]);
        // Suppressed without bounds (a message from before releases disclosed them): 0 or more, unbounded above.
        Assert.Equal(new WeekDelta(-40, 1, 0, Unbounded: 1), SeriesAggregation.Of(levels, [(stored, stored with { Count = null })]).Deltas[(country, Week)]);
        // Suppressed under k = 5: its bounds 1..4 join the week's.
        Assert.Equal(new WeekDelta(-40, 1, 0, Low: 1, High: 4),
            SeriesAggregation.Of(levels, [(stored, stored with { Count = null, Lower = 1, Upper = 4 })]).Deltas[(country, Week)]);
        // Revised from suppressed to a count: its bounds leave the week.
        var suppressed = stored with { Count = null, Lower = 1, Upper = 4 };
        Assert.Equal(new WeekDelta(7, -1, 0, Low: -1, High: -4),
            SeriesAggregation.Of(levels, [(suppressed, stored with { Count = 7 })]).Deltas[(country, Week)]);

        var bySex = new CellState(Colchane, Week, CellState.IsSeriesTotal("F", "_T"), 25, false);
        var (deltas, changed) = SeriesAggregation.Of(levels, [(null, bySex)]);
        Assert.Empty(deltas);
        Assert.Equal([Week], changed[country]);
    }

    [Fact]
    public void A_cell_moved_to_another_series_or_week_leaves_the_old_one_and_both_are_judged_again()
    {
        var levels = new[] { L("country+borderPoint") };
        var old = new CellState(Colchane, Week, true, 40, false);
        var moved = old with { Key = Colchane with { BorderPoint = "CHL-CHACALLUTA" }, Period = Week.AddDays(7) };
        var (deltas, changed) = SeriesAggregation.Of(levels, [(old, moved)]);
        Assert.Equal(new WeekDelta(-40, 0, -1), deltas[(old.Key.At(levels[0]), Week)]);
        Assert.Equal(new WeekDelta(40, 0, 1), deltas[(moved.Key.At(levels[0]), Week.AddDays(7))]);
        Assert.Equal(2, changed.Count);
    }
}
