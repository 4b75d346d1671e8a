using EarlyWarning.Alerting.Delivery;

namespace EarlyWarning.UnitTests.Alerting.Delivery;

public sealed class AlertRoutingKeyTests
{
    [Fact]
    public void The_key_is_country_place_category_and_severity_separated_by_dots()
    {
        Assert.Equal("PAN.PAN-LAJAS-BLANCAS.TRANSIT.Severe", AlertRoutingKey.Of("PAN", "PAN-LAJAS-BLANCAS", "TRANSIT", "Severe"));
    }

    [Fact]
    public void Dots_wildcards_spaces_percent_and_non_ASCII_are_escaped_so_a_part_is_always_one_word()
    {
        Assert.Equal("CHL-A%2EB%23%2A%20C%25", AlertRoutingKey.Escape("CHL-A.B#* C%"));
        Assert.Equal("CHL-CHACALLUTA-%C3%91", AlertRoutingKey.Escape("CHL-CHACALLUTA-Ñ"));
        Assert.Equal(4, AlertRoutingKey.Of("CHL", "a.b.c", "X", "Minor").Split('.').Length);
    }
}
