using EarlyWarning.Anonymization.Agreements;
using FsCheck;
using FsCheck.Fluent;
using static EarlyWarning.UnitTests.Agreements.TestAgreements;

namespace EarlyWarning.UnitTests.Agreements;

/// <summary>Properties of any release, over random national tables and random agreements.</summary>
public sealed class ReleasePropertyTests
{
    /// <summary>A random agreement and a random table shaped like national data: mostly small detail cells, some missing, some groups not broken down.</summary>
    internal sealed record Scenario(int Seed, Agreement Agreement, IReadOnlyList<SourceCell> Cells)
    {
        public override string ToString() =>
            $"seed {Seed}: tables {string.Join(", ", Agreement.Tables.Select(t => $"{t.Name}={t.Rule}"))}; cells {string.Join(" ", Cells.Select(c => $"{c.Group.Nationality}/{c.Sex ?? "-"}/{c.AgeGroup ?? "-"}={c.Count}"))}";

        public static Scenario From(int seed)
        {
            var random = new Random(seed);
            // The publisher's marks draw from their own sequence, so that the tables and counts of a seed stay as they were.
            var marks = new Random(~seed);
            DisclosureRule Rule(double rounding) => random.NextDouble() < rounding
                ? new RoundingRule(random.Next(2, 6), random.Next(2) == 0)
                : new ThresholdRule(random.Next(2, 8));
            var tables = new List<PublishedTable> { Series(Rule(0.1)) };
            if (random.NextDouble() < 0.7) tables.Add(BySex(Rule(0.2)));
            if (random.NextDouble() < 0.6) tables.Add(ByAge(Rule(0.2)));
            if (random.NextDouble() < 0.3) tables.Add(BySexAndAge(Rule(0.2)));
            string?[] sexes = random.Next(3) == 0 ? ["F", "M", "X"] : ["F", "M"];
            string?[] ages = new[] { "0-17", "18-29", "30-59", "60+" }[..random.Next(2, 5)];
            var cells = new List<SourceCell>();
            var line = 1;
            foreach (var nationality in new[] { "VEN", "HTI", "COL" }[..random.Next(1, 4)])
            {
                var group = Group with { Nationality = nationality };
                var shape = random.Next(10);
                var bySex = shape < 8;
                var byAge = shape is < 6 or 8;
                foreach (var sex in bySex ? sexes : new string?[] { null })
                foreach (var age in byAge ? ages : new string?[] { null })
                {
                    if (random.Next(10) == 0) continue;
                    var count = random.Next(10) switch { < 4 => random.Next(0, 5), < 6 => random.Next(0, 2), _ => random.Next(0, 30) };
                    // Now and then the publisher marks a cell not for publication (CONF_STATUS C, N or D).
                    cells.Add(new SourceCell(group, sex, age, count, line++) { Confidential = marks.Next(12) == 0 });
                }
            }
            return new Scenario(seed, With([.. tables]), cells);
        }
    }

    private static readonly Arbitrary<Scenario> Scenarios = ArbMap.Default.GeneratorFor<int>().Select(Scenario.From).ToArbitrary();

    private static void Check(Action<Scenario> property, int tests = 400) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(tests), Prop.ForAll(Scenarios, property));

    /// <summary>The true count of every cell of a table, summed from the submitted cells.</summary>
    private static long TrueCount(Scenario s, PublishedTable table, CellKey key) =>
        s.Cells.Where(c => c.Group == key.Group
                && (!table.Breakdown.HasFlag(Breakdown.Sex) || c.Sex == key.Sex)
                && (!table.Breakdown.HasFlag(Breakdown.AgeGroup) || c.AgeGroup == key.AgeGroup))
            .Sum(c => c.Count);

    [Fact]
    public void No_released_cell_of_a_threshold_table_is_below_k_unless_it_is_flagged_and_has_no_value()
    {
        Check(s =>
        {
            var release = TableReleaser.Apply(s.Agreement, s.Cells, NothingReleased);
            foreach (var cell in release.Cells)
            {
                var table = s.Agreement.Tables.Single(t => t.Name == cell.Table);
                if (table.Rule is not ThresholdRule { K: var k }) continue;
                if (cell.Status == ConfidentialityStatus.Free)
                {
                    Assert.True(cell.Value == 0 || cell.Value >= k, $"{s}: {cell} released below k = {k}");
                    Assert.Equal(TrueCount(s, table, cell.Key), cell.Value);
                }
                else Assert.Null(cell.Value);
            }
        });
    }

    [Fact]
    public void A_published_cell_whose_every_part_the_publisher_marked_is_never_released_with_its_count()
    {
        var marked = 0;
        Check(s =>
        {
            var release = TableReleaser.Apply(s.Agreement, s.Cells, NothingReleased);
            foreach (var cell in release.Cells)
            {
                var table = s.Agreement.Tables.Single(t => t.Name == cell.Table);
                var parts = s.Cells.Where(c => c.Group == cell.Key.Group
                    && (!table.Breakdown.HasFlag(Breakdown.Sex) || c.Sex == cell.Key.Sex)
                    && (!table.Breakdown.HasFlag(Breakdown.AgeGroup) || c.AgeGroup == cell.Key.AgeGroup)).ToList();
                if (parts.Count == 0 || !parts.All(p => p.Confidential)) continue;
                marked++;
                Assert.True(cell.Value is null, $"{s}: {cell} is released although the publisher marked all of it");
            }
        });
        Assert.True(marked > 20, $"the random tables must exercise marked cells ({marked})");
    }

    [Fact]
    public void Solving_the_released_equations_recovers_no_suppressed_cell_exactly()
    {
        var suppressedSeen = 0;
        Check(s =>
        {
            var release = TableReleaser.Apply(s.Agreement, s.Cells, NothingReleased);
            var (structure, published) = LinearAttack.View(s.Agreement, release);
            var known = LinearAttack.Known(s.Agreement, structure, published);
            foreach (var cell in structure.Where(c => !published.ContainsKey(c)))
            {
                suppressedSeen++;
                Assert.False(known.ContainsKey(cell), $"{s}: suppressed {cell} is recovered as {known.GetValueOrDefault(cell)}");
            }
        });
        Assert.True(suppressedSeen > 500, $"the random tables must exercise suppression ({suppressedSeen} suppressed cells)");
    }

    [Fact]
    public void Bounds_from_the_flags_and_the_released_equations_pin_no_suppressed_cell()
    {
        Check(s =>
        {
            var release = TableReleaser.Apply(s.Agreement, s.Cells, NothingReleased);
            var pinned = LinearAttack.PinnedByBounds(s.Agreement, release);
            Assert.True(pinned.Count == 0, $"{s}: {string.Join(", ", pinned.Select(p => $"{p.Key} = {p.Value}"))} pinned by bounds");
        }, tests: 1000);
    }

    [Fact]
    public void Every_suppressed_cell_carries_open_bounds_that_contain_its_true_count()
    {
        var bounded = 0;
        Check(s =>
        {
            var release = TableReleaser.Apply(s.Agreement, s.Cells, NothingReleased);
            foreach (var cell in release.Cells.Where(c => c.Status != ConfidentialityStatus.Free))
            {
                var table = s.Agreement.Tables.Single(t => t.Name == cell.Table);
                var truth = TrueCount(s, table, cell.Key);
                Assert.True(cell.LowerBound is { } low && low <= truth && (cell.UpperBound is not { } high || (truth <= high && low < high)),
                    $"{s}: {cell} has bounds {cell.LowerBound}..{cell.UpperBound} around its true count {truth}");
                if (cell.Status == ConfidentialityStatus.Confidential && table.Rule is ThresholdRule { K: var k })
                    Assert.True(cell.LowerBound >= 1 && cell.UpperBound <= k - 1, $"{s}: confidential {cell} bounded wider than 1..{k - 1}");
                if (cell.UpperBound is not null) bounded++;
            }
            Assert.All(release.Cells.Where(c => c.Status == ConfidentialityStatus.Free), c => Assert.True(c.LowerBound is null && c.UpperBound is null));
        });
        Assert.True(bounded > 500, $"the random tables must exercise bounded suppressions ({bounded})");
    }

    [Fact]
    public void Every_series_total_at_or_above_k_is_released_unless_the_publisher_marked_all_of_it()
    {
        Check(s =>
        {
            if (s.Agreement.SeriesTable.Rule is not ThresholdRule { K: var k }) return;
            var release = TableReleaser.Apply(s.Agreement, s.Cells, NothingReleased);
            foreach (var total in release.Cells.Where(c => c.Table == "series"))
                if (TrueCount(s, s.Agreement.SeriesTable, total.Key) >= k && !s.Cells.Where(c => c.Group == total.Key.Group).All(c => c.Confidential))
                    Assert.True(total.Status == ConfidentialityStatus.Free, $"{s}: series total {total} was suppressed");
        });
    }

    [Fact]
    public void Rounding_keeps_the_documented_rules_for_cells_and_totals()
    {
        Check(s =>
        {
            var release = TableReleaser.Apply(s.Agreement, s.Cells, NothingReleased);
            var byTable = release.Cells.ToLookup(c => c.Table);
            foreach (var table in s.Agreement.Tables)
            {
                if (table.Rule is not RoundingRule { Base: var b }) continue;
                // A cell the publisher marked is suppressed (flagged D), not rounded.
                foreach (var cell in byTable[table.Name].Where(c => c.Status == ConfidentialityStatus.Free))
                {
                    var truth = TrueCount(s, table, cell.Key);
                    Assert.True(cell.Rounded && cell.Value % b == 0, $"{s}: {cell} is not a multiple of {b}");
                    Assert.True(Math.Abs(cell.Value!.Value - truth) < b, $"{s}: {cell} is {truth} rounded further than {b}");
                    if (truth % b == 0) Assert.Equal(truth, cell.Value);
                }
                // A rounded total and its rounded parts: each off by less than the base.
                foreach (var finer in s.Agreement.Tables.Where(f => f.Rule is RoundingRule && f != table && (table.Breakdown & f.Breakdown) == table.Breakdown))
                foreach (var total in byTable[table.Name].Where(c => c.Status == ConfidentialityStatus.Free))
                {
                    var parts = byTable[finer.Name].Where(p => p.Key.Group == total.Key.Group
                        && (!table.Breakdown.HasFlag(Breakdown.Sex) || p.Key.Sex == total.Key.Sex)
                        && (!table.Breakdown.HasFlag(Breakdown.AgeGroup) || p.Key.AgeGroup == total.Key.AgeGroup)).ToList();
                    if (parts.Count == 0 || parts.Any(p => p.Status != ConfidentialityStatus.Free)) continue;
                    var bound = (parts.Count + 1) * (long)Math.Max(b, ((RoundingRule)finer.Rule).Base);
                    Assert.True(Math.Abs(total.Value!.Value - parts.Sum(p => p.Value!.Value)) < bound, $"{s}: {total} vs its parts");
                }
            }
        });
    }

    /// <remarks>
    /// The intruder solves each release's equations, with everything the first release showed, and compares
    /// every value the two determine. Stacking both releases' equations in one system adds nothing more: they
    /// share no unknown (a cell's count before and after the revision are two unknowns), so a difference
    /// x₂ − x₁ is determined only where x₁ and x₂ each are, which is what this compares.
    /// </remarks>
    [Fact]
    public void Two_releases_of_a_revised_table_disclose_no_change_below_k_by_differencing()
    {
        var revisedCellsSeen = 0;
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(Scenarios, ArbMap.Default.GeneratorFor<int>().ToArbitrary(), (s, revisionSeed) =>
        {
            var random = new Random(revisionSeed);
            // A revision: late registrations and corrections, mostly small, to some cells.
            var revised = s.Cells.Select(c => random.Next(3) == 0 ? c with { Count = Math.Max(0, c.Count + random.Next(-3, 8)) } : c).ToList();
            var first = TableReleaser.Apply(s.Agreement, s.Cells, NothingReleased);
            var releasedValues = first.Cells.Where(c => c is { Status: ConfidentialityStatus.Free, Rounded: false })
                .ToDictionary(c => c.Key, c => new[] { c.Value!.Value });
            var second = TableReleaser.Apply(s.Agreement, revised, releasedValues);

            var (structure1, published1) = LinearAttack.View(s.Agreement, first);
            var before = LinearAttack.Known(s.Agreement, structure1, published1);
            // After the revision, the intruder knows the cells exist (from the first release) even where the second holds them back.
            var (structure2, published2) = LinearAttack.View(s.Agreement, second);
            var after = LinearAttack.Known(s.Agreement, structure2.Union(structure1).ToList(), published2);
            foreach (var (cell, value) in after)
            {
                if (!before.TryGetValue(cell, out var old) || old == value) continue;
                revisedCellsSeen++;
                var k = ((ThresholdRule)s.Agreement.Tables.Single(t => t.Name == cell.Table).Rule).K;
                Assert.True(Math.Abs(value - old) >= k, $"{s}: {cell} went from {old} to {value}, a difference below k = {k}");
            }
        }));
        Assert.True(revisedCellsSeen > 100, $"the revisions must change released cells ({revisedCellsSeen})");
    }
}
