using EarlyWarning.Contracts;
using EarlyWarning.Ingestion.Submissions;

namespace EarlyWarning.UnitTests;

public sealed class CellIdentityTests
{
    private static RawObservation Row(string point = "Colchane", string nationality = "VEN", string category = "Ingreso", string? sex = "F", string? age = null) =>
        new(2, new DateOnly(2024, 1, 1), point, nationality, category, sex, age, 10, null);

    [Fact]
    public void A_cell_is_the_same_whatever_the_case_of_its_codes() =>
        Assert.Equal(CellIdentity.Of("CHL", Row(point: "COLCHANE", nationality: "ven")), CellIdentity.Of("CHL", Row()));

    [Fact]
    public void Texts_that_join_alike_are_different_cells() =>
        Assert.NotEqual(CellIdentity.Of("CHL", Row(point: "A|B", nationality: "C")), CellIdentity.Of("CHL", Row(point: "A", nationality: "B|C")));

    [Fact]
    public void A_missing_sex_is_not_an_empty_one_and_countries_are_part_of_the_identity()
    {
        Assert.NotEqual(CellIdentity.Of("CHL", Row(sex: null)), CellIdentity.Of("CHL", Row(sex: "")));
        Assert.NotEqual(CellIdentity.Of("CHL", Row()), CellIdentity.Of("PER", Row()));
    }

    [Fact]
    public void Two_spellings_of_a_nationality_are_two_published_cells() =>
        Assert.NotEqual(CellIdentity.Of("CHL", Row(nationality: "VEN")), CellIdentity.Of("CHL", Row(nationality: "venezolana")));
}
