using EarlyWarning.Ingestion;
using EarlyWarning.Ingestion.Agreements;
using EarlyWarning.Ingestion.Submissions;

namespace EarlyWarning.UnitTests;

/// <summary>The shapes of personal data the regional default agreement refuses in free-text fields.</summary>
public sealed class PersonalDataPatternTests
{
    private static readonly DeclaredColumns Agreements = DeclaredColumns.Load(Path.Combine(RepositoryPolicy.Directory, "agreements"));

    private static List<SubmissionError> Errors(string borderPoint, string category, string country = "CHL")
    {
        var rules = RowRules.From(new SubmissionLimits(), new DateOnly(2026, 11, 24)) with { PersonalData = Agreements.For(country).Patterns ?? [] };
        var errors = new List<SubmissionError>();
        ObservationRules.Build(7, rules, "2026-11-02", borderPoint, "venezolana", category, null, null, "12", null, errors);
        return errors;
    }

    [Theory]
    [InlineData("Chacalluta maria.perez@example.org")]
    [InlineData("Colchane 123456789")]
    [InlineData("Chacalluta 12.345.678-5")]
    [InlineData("Chacalluta 123.456.789-09")]
    public void A_free_text_field_with_a_shape_of_personal_data_is_refused_with_its_line_and_field_and_without_the_value(string borderPoint)
    {
        var error = Assert.Single(Errors(borderPoint, "Ingreso regular"));
        Assert.Equal((7, "border_point"), (error.Line, error.Field));
        Assert.DoesNotContain(borderPoint.Split(' ')[1], error.Reason);
        Assert.StartsWith("looks like personal data", error.Reason);
    }

    [Theory]
    [InlineData("Paso Fronterizo Km 1234", "Decreto 216 de 2021")]
    [InlineData("CEBAF Huaquillas", "PPT otorgados 2023")]
    public void Ordinary_names_with_numbers_pass(string borderPoint, string category) => Assert.Empty(Errors(borderPoint, category));

    [Fact]
    public void A_country_agreement_without_its_own_shapes_uses_the_regional_defaults() =>
        Assert.NotEmpty(Agreements.For("PER").Patterns!);
}
