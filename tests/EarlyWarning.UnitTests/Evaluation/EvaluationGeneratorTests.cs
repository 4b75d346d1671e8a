using EarlyWarning.Classification.Mapping;
using EarlyWarning.Contracts;
using EarlyWarning.Evaluation.Generation;

namespace EarlyWarning.UnitTests.Evaluation;

/// <summary>The evaluation's generator of national files (tools/EarlyWarning.Evaluation): deterministic, realistic, mappable.</summary>
public sealed class EvaluationGeneratorTests
{
    private static readonly DateOnly LastWeek = new(2026, 11, 30);

    private static Dataset Generate(int seed = 11, int series = 300, int surges = 100) =>
        NationalDataGenerator.Generate(Vocabularies(), new GeneratorOptions(seed, series, surges, 130, LastWeek));

    private static List<CountryVocabulary> Vocabularies() =>
        PolicyVocabulary.Countries(RepositoryPolicy.Directory).Select(c => PolicyVocabulary.Load(RepositoryPolicy.Directory, c)).ToList();

    [Fact]
    public void Every_country_with_policy_files_is_generated_with_its_own_vocabulary_and_threshold()
    {
        var vocabularies = Vocabularies();
        Assert.Equal(["BRA", "CHL", "COL", "CRI", "ECU", "MEX", "PAN", "PER"], vocabularies.Select(v => v.Country));
        Assert.Equal(10, vocabularies.Single(v => v.Country == "MEX").Threshold);
        Assert.Equal(5, vocabularies.Single(v => v.Country == "CHL").Threshold);
        Assert.Equal(["0-17", "18-59", "60+"], vocabularies.Single(v => v.Country == "PAN").AgeBands);
        Assert.Contains(vocabularies.Single(v => v.Country == "BRA").Nationalities, n => n.National == "venezuelano" && n.Iso3 == "VEN");
        // A term a conditional rule also lists ("Ingreso" at a Darién station is transit) is never used.
        Assert.DoesNotContain(vocabularies.Single(v => v.Country == "PAN").Categories, c => c.National == "Ingreso");
    }

    [Fact]
    public void The_same_seed_gives_the_same_files_and_another_seed_other_files()
    {
        var a = Generate();
        var b = Generate();
        var c = Generate(seed: 12);
        foreach (var country in a.Countries.Select(x => x.Country))
            Assert.Equal(NationalFiles.Csv(a, country, 0, 130), NationalFiles.Csv(b, country, 0, 130));
        Assert.Equal(a.Surges.Select(s => (s.Series.Index, s.Start, s.Duration, s.Size)), b.Surges.Select(s => (s.Series.Index, s.Start, s.Duration, s.Size)));
        Assert.NotEqual(NationalFiles.Csv(a, "CHL", 0, 130), NationalFiles.Csv(c, "CHL", 0, 130));
    }

    [Fact]
    public void Cells_add_up_to_the_weekly_totals_and_no_zero_cell_is_written()
    {
        var data = Generate();
        foreach (var s in data.Series)
            for (var t = 0; t < data.Weeks.Length; t++)
            {
                Assert.Equal(s.Totals[t], s.Cells[t].Sum(c => (long)c.Count));
                Assert.All(s.Cells[t], c => Assert.True(c.Count > 0));
            }
        Assert.Equal(data.Rows, data.Countries.Sum(c => NationalFiles.RowCount(data, c.Country, 0, 130)));
        Assert.Equal(data.Rows, data.Countries.Sum(c => NationalFiles.Csv(data, c.Country, 0, 130).Count(ch => ch == '\n') - 1));
    }

    [Fact]
    public void Planted_surges_are_in_the_national_cells()
    {
        var data = Generate(series: 600, surges: 200);
        // On series of 10 a week or more, the cells of a surge's weeks sum to well above the usual level of the weeks around it.
        var large = data.Surges.Where(s => s.Series.Level >= 10 && s.Size >= 2.5).ToList();
        Assert.NotEmpty(large);
        var clear = large.Count(s =>
        {
            var surgeWeeks = Enumerable.Range(s.Start, s.Duration).Average(t => s.Series.Cells[t].Sum(c => (double)c.Count));
            var before = Enumerable.Range(s.Start - 8, 8).Average(t => s.Series.Cells[t].Sum(c => (double)c.Count));
            return surgeWeeks > 1.5 * before;
        });
        Assert.True(clear >= 0.8 * large.Count, $"{clear} of {large.Count} large surges stand out in the cells");
        Assert.All(data.Surges, s =>
        {
            Assert.True(s.Start >= GeneratorOptions.FirstSurgeWeek);
            Assert.True(s.End < data.Weeks.Length);
            // The expected count jumps by the surge's size at its first week (season and trend move it by a few percent a week at most).
            Assert.InRange(s.Series.Expected[s.Start] / s.Series.Expected[s.Start - 1], 0.85 * s.Size, 1.15 * s.Size);
        });
    }

    [Fact]
    public void Surges_are_spread_over_sizes_durations_and_size_classes()
    {
        var data = Generate(series: 600, surges: 200);
        Assert.Equal(200, data.Surges.Count);
        Assert.Equal(data.Surges.Count, data.Surges.Select(s => s.Series.Index).Distinct().Count());
        foreach (var size in GeneratorOptions.Sizes) Assert.InRange(data.Surges.Count(s => s.Size == size), 30, 50);
        foreach (var duration in GeneratorOptions.Durations) Assert.InRange(data.Surges.Count(s => s.Duration == duration), 25, 45);
        foreach (var k in SizeClasses.All) Assert.InRange(data.Surges.Count(s => s.Series.SizeClass == k), 40, 60);
        // Series range from a few events a week to thousands; most national cells are under k.
        Assert.Contains(data.Series, s => s.Level < 2);
        Assert.Contains(data.Series, s => s.Level > 500);
        var cells = data.Series.SelectMany(s => s.Cells.SelectMany(w => w)).ToList();
        Assert.True(cells.Count(c => c.Count < 5) > cells.Count / 2);
    }

    [Fact]
    public void Every_generated_value_maps_with_the_policy_files_to_the_codes_the_ceiling_uses()
    {
        var data = Generate();
        foreach (var country in data.Countries)
        {
            var rows = data.Series.Where(s => s.Country == country.Country)
                .SelectMany(s => s.Cells.SelectMany((week, t) => week.Select(c => (s, t, c))))
                .Select((x, i) => (x.s, Row: new AnonymizedObservation(i, data.Weeks[x.t], x.s.Point.National, x.s.Nationality.National, x.s.Category.National, x.c.Sex, x.c.AgeBand, x.c.Count, false)))
                .ToList();
            var batch = Classifier.Classify(country.Country, rows.Select(r => r.Row).ToList(), RepositoryPolicy.Current);
            Assert.Empty(batch.Held.Select(h => $"{country.Country}: {h.Row.BorderPoint} / {h.Row.Nationality} / {h.Row.Category} / {h.Row.AgeGroup}: {string.Join(",", h.Reasons)}"));
            for (var i = 0; i < rows.Count; i++)
            {
                var expected = rows[i].s.Harmonized;
                var got = batch.Harmonized[i].Observation;
                Assert.Equal((expected.BorderPoint, expected.Nationality, expected.Category), (got.BorderPoint, got.Nationality, got.Category));
            }
        }
    }
}
