using EarlyWarning.Classification.Export;

namespace EarlyWarning.UnitTests.Classification;

public sealed class SdmxCsvExportTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://example.org\")", "\"'=HYPERLINK(\"\"http://example.org\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("CHL-COLCHANE", "CHL-COLCHANE")]
    [InlineData("_T", "_T")]
    public void A_field_a_spreadsheet_would_read_as_a_formula_is_written_after_an_apostrophe(string value, string written) =>
        Assert.Equal(written, SdmxCsv.Field(value));
}
