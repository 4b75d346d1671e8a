using EarlyWarning.Anonymization.Agreements;
using static EarlyWarning.UnitTests.Agreements.TestAgreements;

namespace EarlyWarning.UnitTests.Agreements;

public sealed class TableReleaserTests
{
    private static ReleasedCell Find(Release release, string sex, string age) =>
        Assert.Single(release.Cells, c => c.Key.Sex == sex && c.Key.AgeGroup == age);

    [Fact]
    public void Detail_cells_are_summed_into_the_published_tables_before_the_threshold_rule_so_the_series_total_survives()
    {
        // Sex × age detail, every cell below k = 5: applied row by row, all of it would be suppressed.
        var cells = new[] { Cell("F", "0-17", 2), Cell("F", "18-59", 4), Cell("M", "0-17", 3), Cell("M", "18-59", 4) };

        var release = TableReleaser.Apply(Threshold(5), cells, NothingReleased);

        var total = Find(release, Total.Code, Total.Code);
        Assert.Equal((13L, ConfidentialityStatus.Free, "series"), (total.Value, total.Status, total.Table));
        Assert.Equal(6, Find(release, "F", Total.Code).Value);
        Assert.Equal(7, Find(release, "M", Total.Code).Value);
        Assert.Equal(5, Find(release, Total.Code, "0-17").Value);
        Assert.Equal(8, Find(release, Total.Code, "18-59").Value);
        Assert.Equal(5, release.Cells.Count); // sex × age is not a published table: its cells never leave.
    }

    [Fact]
    public void Two_confidential_cells_whose_flags_would_pin_them_under_a_series_total_leave_one_flagged_secondary()
    {
        // 8 = F + M with both flagged C (1 to 4 under k = 5) would give F = M = 4 away; Alerting needs the total.
        var release = TableReleaser.Apply(With(Series(new ThresholdRule(5)), BySex(new ThresholdRule(5))), [Cell("F", null, 4), Cell("M", null, 4)], NothingReleased);

        Assert.Equal((8L, ConfidentialityStatus.Free), (Find(release, Total.Code, Total.Code).Value, Find(release, Total.Code, Total.Code).Status));
        Assert.Equal([ConfidentialityStatus.Confidential, ConfidentialityStatus.Secondary],
            new[] { Find(release, "F", Total.Code).Status, Find(release, "M", Total.Code).Status }.Order());
        Assert.Equal((1, 1), (release.Counts.PrimarySuppressed, release.Counts.SecondarySuppressed));
    }

    [Fact]
    public void A_cell_the_publisher_marked_not_for_publication_is_suppressed_whatever_its_count_with_only_the_range_its_total_gives_and_cannot_be_subtracted()
    {
        var agreement = Threshold(5);
        var release = TableReleaser.Apply(agreement, [Cell("F", null, 40) with { Confidential = true }, Cell("M", null, 60)], NothingReleased);

        var female = Find(release, "F", Total.Code);
        // Flagged D (no range of its own): all an intruder learns is 0 to the total.
        Assert.Equal((null, ConfidentialityStatus.Secondary, 0L, (long?)100), (female.Value, female.Status, female.LowerBound, female.UpperBound));
        // Otherwise 100 − 60 would give the 40 away.
        Assert.Null(Find(release, "M", Total.Code).Value);
        Assert.Equal(100, Find(release, Total.Code, Total.Code).Value);
        Assert.Equal((1, 1), (release.Counts.PrimarySuppressed, release.Counts.SecondarySuppressed));
        var (structure, published) = LinearAttack.View(agreement, release);
        Assert.DoesNotContain(LinearAttack.Known(agreement, structure, published), k => k.Key.Key.Sex == "F" && k.Key.Key.AgeGroup == Total.Code);
    }

    [Fact]
    public void A_published_cell_with_only_some_parts_marked_not_for_publication_is_released_while_the_marked_part_stays_hidden()
    {
        // The agreement publishes by sex and by age: F, 18-59 is marked, but F as a whole and 18-59 as a whole are not.
        var cells = new[]
        {
            Cell("F", "0-17", 20), Cell("F", "18-59", 30) with { Confidential = true }, Cell("M", "0-17", 25), Cell("M", "18-59", 35),
        };
        var release = TableReleaser.Apply(Threshold(5), cells, NothingReleased);

        Assert.Equal(50, Find(release, "F", Total.Code).Value);
        Assert.Equal(65, Find(release, Total.Code, "18-59").Value);
        Assert.Equal(0, release.Counts.PrimarySuppressed);
    }

    [Fact]
    public void A_cell_below_k_is_confidential_and_its_complement_in_the_same_relation_is_suppressed_too()
    {
        var release = TableReleaser.Apply(Threshold(5), [Cell("F", null, 3), Cell("M", null, 40)], NothingReleased);

        Assert.Equal((null, ConfidentialityStatus.Confidential), (Find(release, "F", Total.Code).Value, Find(release, "F", Total.Code).Status));
        // Otherwise 43 − 40 would give the 3 away.
        Assert.Equal((null, ConfidentialityStatus.Secondary), (Find(release, "M", Total.Code).Value, Find(release, "M", Total.Code).Status));
        Assert.Equal(43, Find(release, Total.Code, Total.Code).Value);
        Assert.Equal((1, 1), (release.Counts.PrimarySuppressed, release.Counts.SecondarySuppressed));
    }

    [Fact]
    public void The_complement_is_the_smallest_other_cell_not_the_series_total()
    {
        var release = TableReleaser.Apply(Threshold(5), [Cell(null, "0-17", 2), Cell(null, "18-59", 30), Cell(null, "60+", 9)], NothingReleased);

        Assert.Equal(ConfidentialityStatus.Secondary, Find(release, Total.Code, "60+").Status);
        Assert.Equal(30, Find(release, Total.Code, "18-59").Value);
        Assert.Equal(41, Find(release, Total.Code, Total.Code).Value);
    }

    [Fact]
    public void A_series_total_below_k_is_suppressed_like_any_cell()
    {
        var release = TableReleaser.Apply(Threshold(5), [Cell("F", null, 2), Cell("M", null, 1)], NothingReleased);

        Assert.All(release.Cells, c => Assert.Null(c.Value));
        Assert.Equal(ConfidentialityStatus.Confidential, Find(release, Total.Code, Total.Code).Status);
    }

    [Fact]
    public void Zero_is_not_disclosive_and_is_released()
    {
        var release = TableReleaser.Apply(Threshold(5), [Cell("F", null, 0), Cell("M", null, 12)], NothingReleased);
        Assert.All(release.Cells, c => Assert.Equal(ConfidentialityStatus.Free, c.Status));
    }

    [Fact]
    public void A_breakdown_is_withheld_for_a_group_where_some_cells_lack_that_dimension()
    {
        var release = TableReleaser.Apply(Threshold(5), [Cell("F", null, 20), Cell(null, null, 30)], NothingReleased);

        Assert.Equal(50, Assert.Single(release.Cells).Value);
        Assert.Equal(2, release.Counts.BreakdownsWithheld);
    }

    [Fact]
    public void National_age_groups_are_generalized_to_the_agreement_bands_before_anything_else()
    {
        var agreement = Threshold(5) with
        {
            Generalization = new Generalization(new Dictionary<string, string> { ["0-4"] = "0-17", ["5-11"] = "0-17" }, []),
        };

        var release = TableReleaser.Apply(agreement, [Cell(null, "0-4", 3), Cell(null, "5-11", 4), Cell(null, "18-59", 20)], NothingReleased);

        Assert.Equal(7, Find(release, Total.Code, "0-17").Value);
        Assert.Equal(2, release.Counts.Generalized);
    }

    [Fact]
    public void A_revision_that_moves_a_released_cell_by_less_than_k_is_held_and_one_that_moves_it_by_k_or_more_is_released()
    {
        var first = TableReleaser.Apply(Threshold(5), [Cell("F", null, 20), Cell("M", null, 20)], NothingReleased);
        var released = first.Cells.ToDictionary(c => c.Key, c => new[] { c.Value!.Value });

        var small = TableReleaser.Apply(Threshold(5), [Cell("F", null, 22), Cell("M", null, 20)], released);
        var large = TableReleaser.Apply(Threshold(5), [Cell("F", null, 26), Cell("M", null, 20)], released);

        // Total and F moved by 2: held, so nobody learns that 2 were added; M is unchanged.
        Assert.Equal(2, small.Counts.Held);
        Assert.Equal(20, Assert.Single(small.Cells).Value);
        Assert.Equal(0, large.Counts.Held);
        Assert.Equal(46, Find(large, Total.Code, Total.Code).Value);
    }

    [Fact]
    public void Rounded_tables_take_multiples_of_the_base_within_one_base_of_the_count()
    {
        var agreement = With(Series(new ThresholdRule(5)), BySex(new RoundingRule(3, Random: false)));

        var release = TableReleaser.Apply(agreement, [Cell("F", null, 4), Cell("M", null, 8)], NothingReleased);

        Assert.Equal(3, Find(release, "F", Total.Code).Value);
        Assert.Equal(9, Find(release, "M", Total.Code).Value);
        Assert.Equal(12, Find(release, Total.Code, Total.Code).Value);
        Assert.Equal(2, release.Counts.Rounded);
    }

    [Fact]
    public void Random_rounding_of_the_same_count_of_the_same_cell_is_the_same_in_every_release()
    {
        var rule = new RoundingRule(3, Random: true);
        var key = new CellKey(Group, "F", Total.Code);
        var draws = Enumerable.Range(0, 5).Select(_ => Rounding.Round("AGR-CHL", key, "bySex", 7, rule)).Distinct().ToList();

        Assert.Single(draws);
        Assert.Contains(draws[0], new long[] { 6, 9 });
    }
}
