using EarlyWarning.Anonymization.Agreements;
using static EarlyWarning.UnitTests.Agreements.TestAgreements;

namespace EarlyWarning.UnitTests.Agreements;

/// <summary>Periods, border points and rare nationalities coarsened as the agreement says, before any disclosure rule.</summary>
public sealed class GeneralizationTests
{
    private static readonly DateOnly Week = new(2025, 10, 13);

    private static Agreement Coarsened(Generalization generalization) => Threshold(5) with { Generalization = generalization };

    private static SourceCell Series(string point, string nationality, long count, DateOnly? week = null) =>
        Cell(null, null, count, new GroupKey(week ?? Week, point, nationality, "Ingreso irregular"));

    private static Dictionary<(DateOnly, string, string), ReleasedCell> SeriesOf(Release release) =>
        release.Cells.Where(c => c.Table == "series").ToDictionary(c => (c.Key.Group.Period, c.Key.Group.BorderPoint, c.Key.Group.Nationality));

    [Fact]
    public void Rare_nationalities_of_a_period_point_and_category_are_published_together_as_other_and_released_when_their_sum_reaches_k()
    {
        var agreement = Coarsened(Generalization.None with { RareNationalitiesBelow = 5 });
        var cells = new[]
        {
            Series("Colchane", "venezolana", 40), Series("Colchane", "china", 2), Series("Colchane", "india", 1), Series("Colchane", "afgana", 3),
            Series("Colchane", "haitiana", 0), Series("Chacalluta", "china", 7),
        };

        var release = TableReleaser.Apply(agreement, cells, NothingReleased);

        var series = SeriesOf(release);
        Assert.Equal(40, series[(Week, "Colchane", "venezolana")].Value);
        // 2 + 1 + 3: three confidential cells become one free one; nobody's nationality below 5 leaves the country.
        Assert.Equal((6L, ConfidentialityStatus.Free), (series[(Week, "Colchane", OtherNationality.Code)].Value, series[(Week, "Colchane", OtherNationality.Code)].Status));
        Assert.DoesNotContain((Week, "Colchane", "china"), series.Keys);
        Assert.Equal(0, series[(Week, "Colchane", "haitiana")].Value); // a zero discloses nobody
        Assert.Equal(7, series[(Week, "Chacalluta", "china")].Value); // rare is judged per period, border point and category
        Assert.Equal(3, release.Counts.Generalized);
    }

    [Fact]
    public void Border_points_go_to_the_region_the_agreement_places_them_in_and_an_unplaced_point_to_the_country()
    {
        var regions = new Dictionary<string, string> { [Generalization.PlaceKey("Pacaraima")] = "BR-RR", [Generalization.PlaceKey("Boa Vista")] = "BR-RR" };
        var agreement = Coarsened(Generalization.None with { BorderPoints = PlaceLevel.Region, Regions = regions });

        var release = TableReleaser.Apply(agreement,
            [Series("PACARAIMA", "venezuelana", 3), Series("Boa  Vista", "venezuelana", 4), Series("Tabatinga", "venezuelana", 9)], NothingReleased, "BRA");

        var series = SeriesOf(release);
        // Two points of 3 and 4 (both below k) are one region of 7: released.
        Assert.Equal((7L, ConfidentialityStatus.Free), (series[(Week, "BR-RR", "venezuelana")].Value, series[(Week, "BR-RR", "venezuelana")].Status));
        Assert.Equal(9, series[(Week, "BRA", "venezuelana")].Value);
        Assert.Equal(2, series.Count);
        Assert.Equal(3, release.Counts.Generalized);
    }

    [Fact]
    public void Border_points_to_the_country_leave_one_point_per_country()
    {
        var agreement = Coarsened(Generalization.None with { BorderPoints = PlaceLevel.Country });

        var release = TableReleaser.Apply(agreement, [Series("Colchane", "venezolana", 3), Series("Chacalluta", "venezolana", 3)], NothingReleased, "CHL");

        Assert.Equal(6, Assert.Single(SeriesOf(release)).Value.Value);
    }

    [Fact]
    public void Weeks_are_summed_into_the_month_of_their_monday_published_on_its_first_day()
    {
        var agreement = Coarsened(Generalization.None with { Period = PeriodLevel.Month });

        var release = TableReleaser.Apply(agreement,
            [Series("Colchane", "venezolana", 3, new(2025, 9, 29)), Series("Colchane", "venezolana", 4, new(2025, 10, 6)), Series("Colchane", "venezolana", 2, new(2025, 10, 27))],
            NothingReleased);

        var series = SeriesOf(release);
        Assert.Equal((ConfidentialityStatus.Confidential, (long?)null), (series[(new(2025, 9, 1), "Colchane", "venezolana")].Status, series[(new(2025, 9, 1), "Colchane", "venezolana")].Value));
        Assert.Equal(6, series[(new(2025, 10, 1), "Colchane", "venezolana")].Value);
    }

    [Fact]
    public void Rare_nationalities_are_judged_after_points_and_periods_are_coarsened()
    {
        var agreement = Coarsened(Generalization.None with { BorderPoints = PlaceLevel.Country, RareNationalitiesBelow = 5 });

        var release = TableReleaser.Apply(agreement, [Series("Colchane", "china", 3), Series("Chacalluta", "china", 3), Series("Colchane", "india", 2)], NothingReleased, "CHL");

        var series = SeriesOf(release);
        Assert.Equal(6, series[(Week, "CHL", "china")].Value);
        Assert.Equal(ConfidentialityStatus.Confidential, series[(Week, "CHL", OtherNationality.Code)].Status);
    }

    [Theory]
    [InlineData("Pacaraima", "pacaraima")]
    [InlineData("  Epitaciolândia-Cobija ", "epitaciolandia cobija")]
    [InlineData("PRI  Pacaraima", "pri pacaraima")]
    public void A_place_is_compared_without_case_accents_punctuation_or_repeated_spaces(string written, string key) =>
        Assert.Equal(key, Generalization.PlaceKey(written));
}
