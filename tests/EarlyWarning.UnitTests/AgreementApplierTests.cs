using EarlyWarning.Anonymization.Agreements;
using EarlyWarning.Contracts;

namespace EarlyWarning.UnitTests;

public sealed class AgreementApplierTests
{
    private static RawObservation Row(int line, long count, Dictionary<string, string>? personal = null) =>
        new(line, new DateOnly(2024, 1, 1), "Colchane", "VEN", "Ingreso regular", "F", null, count, personal);

    [Fact]
    public void Cells_below_the_threshold_keep_their_place_but_lose_their_count_while_zero_and_larger_cells_pass()
    {
        var result = AgreementApplier.Apply([Row(1, 0), Row(2, 1), Row(3, 4), Row(4, 5), Row(5, 300)], new DataSharingAgreement { MinimumCellCount = 5 });

        Assert.Equal([0L, null, null, 5L, 300L], result.Observations.Select(o => o.Count));
        Assert.Equal([false, true, true, false, false], result.Observations.Select(o => o.Suppressed));
        Assert.Equal(2, result.SuppressedCells);
    }

    [Fact]
    public void Personal_fields_never_leave_and_are_counted()
    {
        var result = AgreementApplier.Apply([Row(1, 10, new() { ["document_number"] = "X1", ["birth_date"] = "1990-01-01" })], new DataSharingAgreement());
        Assert.Equal(2, result.PersonalFieldsRemoved);
    }

    [Fact]
    public void A_country_may_agree_a_stricter_threshold_than_the_default()
    {
        var options = new AgreementOptions { Countries = { ["CHL"] = new DataSharingAgreement { MinimumCellCount = 10 } } };

        Assert.Equal(10, options.For("chl").MinimumCellCount);
        Assert.Equal(5, options.For("PER").MinimumCellCount);
        Assert.True(AgreementApplier.Apply([Row(1, 9)], options.For("CHL")).Observations[0].Suppressed);
    }
}
