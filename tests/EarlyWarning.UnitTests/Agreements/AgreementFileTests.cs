using EarlyWarning.Anonymization.Agreements;

namespace EarlyWarning.UnitTests.Agreements;

public sealed class AgreementFileTests : IDisposable
{
    private static readonly string PolicyDirectory = Path.Combine(AppContext.BaseDirectory, "policy", "agreements");
    private readonly string _directory = Directory.CreateTempSubdirectory("agreements-").FullName;
    private static readonly Dictionary<string, string> Environment = new() { ["EW_PSEUDONYM_SECRET_CHL"] = new string('s', 40) };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private InvalidAgreementException LoadFails(string file, string text)
    {
        foreach (var source in Directory.GetFiles(PolicyDirectory, "*.yaml")) File.Copy(source, Path.Combine(_directory, Path.GetFileName(source)));
        File.WriteAllText(Path.Combine(_directory, file), text);
        return Assert.Throws<InvalidAgreementException>(() => AgreementCatalog.Load(_directory, Environment.GetValueOrDefault));
    }

    private static string Chile => File.ReadAllText(Path.Combine(PolicyDirectory, "CHL.yaml"));

    [Fact]
    public void The_repository_agreements_are_valid_with_a_series_table_and_every_country_falls_back_to_the_default()
    {
        var catalog = AgreementCatalog.Load(PolicyDirectory, Environment.GetValueOrDefault);

        var chile = catalog.For("CHL");
        Assert.Equal(("AGR-CHL", "CHL.yaml"), (chile.Id, chile.Source));
        Assert.Equal(new ThresholdRule(5), chile.SeriesTable.Rule);
        Assert.Equal("chl-2026-1", chile.RecordLevel.Pseudonym!.KeyId);
        Assert.Contains("document_number", chile.RecordLevel.Identifiers);
        Assert.Equal("AGR-DEFAULT", catalog.For("BLZ").Id);
        Assert.Contains(catalog.For("PER").Tables, t => t.Rule is RoundingRule { Base: 3, Random: true });
    }

    [Fact]
    public void A_threshold_below_two_stops_everything_with_the_file_and_the_field()
    {
        var e = LoadFails("CHL.yaml", Chile.Replace("disclosure: { threshold: 5 }\n  - table: bySex", "disclosure: { threshold: 1 }\n  - table: bySex"));
        Assert.Equal("CHL.yaml: published[0].disclosure.threshold: k must be at least 2, or nothing is protected (got 1)", e.Message);
    }

    [Fact]
    public void A_missing_pseudonym_secret_names_the_variable()
    {
        var e = LoadFails("CHL.yaml", Chile.Replace("EW_PSEUDONYM_SECRET_CHL", "EW_NOT_SET"));
        Assert.Equal(("CHL.yaml", "recordLevel.pseudonym.secretEnvironmentVariable"), (e.File, e.Field));
        Assert.Contains("EW_NOT_SET", e.Message);
    }

    [Fact]
    public void A_pseudonym_secret_left_as_the_example_files_placeholder_is_refused()
    {
        Environment["EW_PLACEHOLDER_SECRET"] = "change-me-to-at-least-32-characters-of-randomness";
        try
        {
            var e = LoadFails("CHL.yaml", Chile.Replace("EW_PSEUDONYM_SECRET_CHL", "EW_PLACEHOLDER_SECRET"));
            Assert.Equal("recordLevel.pseudonym.secretEnvironmentVariable", e.Field);
            Assert.Contains("placeholder", e.Message);
        }
        finally
        {
            Environment.Remove("EW_PLACEHOLDER_SECRET");
        }
    }

    [Theory]
    [InlineData("revisions: holdSmallChanges", "revisions: publishEverything", "revisions")]
    [InlineData("version: 2", "version: zero", "line 4")]
    [InlineData("dimensions: [borderPoint, nationality, category, sex]", "dimensions: [borderPoint, nationality, category, gender]", "published[1].dimensions")]
    [InlineData("dimensions: [borderPoint, nationality, category, sex]", "dimensions: [borderPoint, category, sex]", "published[1].dimensions")]
    [InlineData("effectiveFrom: 2026-01-01", "effectiveFrom: 2026-13-01", "effectiveFrom")]
    [InlineData("country: CHL", "country: PER", "country")]
    [InlineData("disclosure: { threshold: 5 }\n  - table: bySex", "disclosure: { threshold: 5, rounding: { base: 3, method: random } }\n  - table: bySex", "published[0].disclosure")]
    [InlineData("recordLevel:", "recordLevl:", "line 6")]
    public void Each_invalid_field_is_named(string valid, string invalid, string field)
    {
        Assert.Contains(valid, Chile);
        var e = LoadFails("CHL.yaml", Chile.Replace(valid, invalid));
        Assert.Equal(("CHL.yaml", field), (e.File, e.Field));
    }

    private const string AgeBands = "  ageBands: [\"0-17\", \"18-59\", \"60+\"]\n";

    private static string ChileWith(string generalization) => Chile.Replace(AgeBands, AgeBands + generalization);

    [Fact]
    public void Periods_border_points_and_rare_nationalities_are_generalized_as_the_file_states()
    {
        Assert.Contains(AgeBands, Chile);
        foreach (var source in Directory.GetFiles(PolicyDirectory, "*.yaml")) File.Copy(source, Path.Combine(_directory, Path.GetFileName(source)));
        File.WriteAllText(Path.Combine(_directory, "CHL.yaml"), ChileWith(
            "  period: month\n  borderPoints:\n    to: region\n    regions:\n      CL-TA: [Colchane, Pisiga Choque]\n      CL-AP: [Chacalluta]\n  rareNationalities: { below: 5 }\n"));

        var generalization = AgreementCatalog.Load(_directory, Environment.GetValueOrDefault).For("CHL").Generalization;

        Assert.Equal((PeriodLevel.Month, PlaceLevel.Region, 5), (generalization.Period, generalization.BorderPoints, generalization.RareNationalitiesBelow));
        Assert.Equal(["CL-TA", "CHL", "CL-AP"], new[] { "COLCHANE", "Jama", "Chacalluta" }.Select(p => generalization.BorderPointOf(p, "CHL")));
        // Without the keys, nothing is coarsened: the repository's agreements publish weeks, points and every nationality.
        var chile = AgreementCatalog.Load(PolicyDirectory, Environment.GetValueOrDefault).For("CHL").Generalization;
        Assert.Equal((PeriodLevel.Week, PlaceLevel.AsSubmitted, (int?)null), (chile.Period, chile.BorderPoints, chile.RareNationalitiesBelow));
    }

    [Theory]
    [InlineData("  period: fortnight\n", "generalization.period")]
    [InlineData("  borderPoints: { to: province }\n", "generalization.borderPoints.to")]
    [InlineData("  borderPoints: { to: region }\n", "generalization.borderPoints.regions")]
    [InlineData("  borderPoints: { to: country, regions: { CL-TA: [Colchane] } }\n", "generalization.borderPoints.regions")]
    [InlineData("  borderPoints: { to: region, regions: { Tarapaca: [Colchane] } }\n", "generalization.borderPoints.regions.Tarapaca")]
    [InlineData("  borderPoints: { to: region, regions: { CL-TA: [Colchane], CL-AP: [colchane] } }\n", "generalization.borderPoints.regions.CL-AP")]
    [InlineData("  rareNationalities: { below: 1 }\n", "generalization.rareNationalities.below")]
    [InlineData("  rareNationalities: { under: 5 }\n", "line 15")]
    public void Each_invalid_generalization_is_named(string generalization, string field)
    {
        var e = LoadFails("CHL.yaml", ChileWith(generalization));
        Assert.Equal(("CHL.yaml", field), (e.File, e.Field));
    }

    [Fact]
    public void Without_a_series_table_an_agreement_is_refused_because_alerting_judges_series_totals()
    {
        var text = Chile.Replace("  - table: series\n    dimensions: [borderPoint, nationality, category]\n    disclosure: { threshold: 5 }\n", "");
        Assert.Equal("published", LoadFails("CHL.yaml", text).Field);
    }
}
