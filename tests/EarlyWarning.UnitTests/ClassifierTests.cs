using System.Collections.Frozen;
using EarlyWarning.Classification.Mapping;
using EarlyWarning.Contracts;

namespace EarlyWarning.UnitTests;

public sealed class ClassifierTests
{
    private static readonly MappingCatalog Catalog = new(
        new Dictionary<(string, string), string> { [("CHL", "ingreso por paso no habilitado")] = "IRREGULAR_ENTRY" }.ToFrozenDictionary(),
        new Dictionary<string, string> { ["venezolana"] = "VEN", ["ven"] = "VEN", ["haitien"] = "HTI" }.ToFrozenDictionary());

    private static AnonymizedObservation Row(string nationality, string category, string point = "Colchane") =>
        new(1, new DateOnly(2024, 1, 1), point, nationality, category, null, null, 12, false);

    [Theory]
    [InlineData("Venezolana")]
    [InlineData("  VENEZOLANA ")]
    [InlineData("VEN")]
    public void Nationalities_written_as_codes_or_demonyms_map_to_iso_codes(string written) =>
        Assert.Equal("VEN", Classifier.Classify("CHL", [Row(written, "Ingreso por paso no habilitado")], Catalog).Observations[0].Nationality);

    [Fact]
    public void Accents_case_and_spacing_do_not_matter()
    {
        var result = Classifier.Classify("CHL", [Row("Haïtien", "Ingreso  por paso NO habilitádo")], Catalog);
        Assert.Equal(("HTI", "IRREGULAR_ENTRY"), (result.Observations[0].Nationality, result.Observations[0].Category));
        Assert.Empty(result.Unmapped);
    }

    [Fact]
    public void Unknown_codes_are_kept_flagged_and_counted_for_operators()
    {
        var result = Classifier.Classify("CHL", [Row("marciana", "Permiso X"), Row("marciana", "Permiso X")], Catalog);

        Assert.All(result.Observations, o => Assert.Equal(("XXX", "UNMAPPED", "Permiso X"), (o.Nationality, o.Category, o.NationalCategory)));
        Assert.Equal([new UnmappedCode("category", "Permiso X", 2), new UnmappedCode("nationality", "marciana", 2)],
            result.Unmapped.OrderBy(u => u.Kind));
    }

    [Fact]
    public void The_same_category_name_means_nothing_for_another_country_until_mapped()
    {
        Assert.Equal("UNMAPPED", Classifier.Classify("PER", [Row("VEN", "Ingreso por paso no habilitado")], Catalog).Observations[0].Category);
    }

    [Theory]
    [InlineData("Puente Simón Bolívar", "COL-PUENTE-SIMON-BOLIVAR")]
    [InlineData("COL-Rumichaca", "COL-RUMICHACA")]
    public void Border_points_are_made_unique_in_the_region(string point, string expected) =>
        Assert.Equal(expected, Classifier.BorderPoint("COL", point));
}
