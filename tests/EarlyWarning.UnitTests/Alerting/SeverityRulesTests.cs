using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.UnitTests.Alerting;

public sealed class SeverityRulesTests
{
    private static readonly SeverityRules Rules = new();

    [Theory]
    [InlineData(1.2, 1, Severity.Minor)]      // a little above the bound, one week
    [InlineData(1.6, 1, Severity.Moderate)]   // 1.5 times the bound
    [InlineData(1.1, 2, Severity.Moderate)]   // above the bound two weeks running
    [InlineData(2.6, 1, Severity.Severe)]     // 2.5 times the bound
    [InlineData(1.6, 3, Severity.Severe)]     // 1.5 times the bound for three weeks
    [InlineData(1.4, 3, Severity.Moderate)]   // long, but never 1.5 times the bound
    [InlineData(4.1, 1, Severity.Extreme)]    // four times the bound
    [InlineData(2.6, 4, Severity.Extreme)]    // 2.5 times the bound for four weeks
    [InlineData(2.4, 9, Severity.Severe)]     // long, but never 2.5 times the bound
    public void Severity_follows_the_peak_ratio_to_the_bound_and_the_weeks_above_it(double ratio, int weeks, Severity expected) =>
        Assert.Equal(expected, Rules.Of(ratio, weeks));

    [Fact]
    public void Levels_that_fall_from_moderate_to_extreme_are_refused_with_the_setting()
    {
        var policy = new DetectionPolicy { Severity = new SeverityRules { Severe = new() { Ratio = 5, SustainedRatio = 1.5, Weeks = 3 } } };
        Assert.Contains("Detection:Severity:Ratio must not fall from Moderate to Severe to Extreme", policy.Problems());
    }
}
