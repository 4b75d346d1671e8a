using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.UnitTests.Alerting;

public sealed class DetectionOverrideTests
{
    private static SeriesLevel L(string name) => SeriesLevel.Parse(name);

    private static DetectionPolicy Policy() => new()
    {
        MinimumCount = 10,
        Overrides =
        [
            new() { Levels = ["country"], Countries = ["CHL"], MinimumCount = 50, Detectors = [new() { MinimumHistory = 4, Algorithm = "cusum" }] },
            new() { Levels = ["nationality", "country"], MinimumRatio = 3 },
        ],
    };

    [Fact]
    public void The_first_override_matching_the_level_and_country_replaces_the_settings_it_gives()
    {
        var policy = Policy();
        var chile = policy.For(L("country"), "CHL");
        Assert.Equal(50, chile.MinimumCount);
        Assert.Equal("cusum", Assert.Single(chile.EffectiveDetectors).Algorithm);
        Assert.Equal(2, chile.MinimumRatio); // not given: the section's

        var peru = policy.For(L("country"), "PER");
        Assert.Equal((10L, 3.0), (peru.MinimumCount, peru.MinimumRatio));
        Assert.Equal(DetectorRule.Defaults, peru.EffectiveDetectors);
    }

    [Fact]
    public void A_country_override_never_reaches_a_level_summed_over_the_region_and_other_levels_keep_the_section()
    {
        var policy = Policy();
        Assert.Equal(3, policy.For(L("nationality"), null).MinimumRatio);
        Assert.Equal(1, policy.OverrideIndex(L("nationality"), null));
        Assert.Same(policy, policy.For(SeriesLevel.Finest, "CHL"));
        Assert.Equal(-1, policy.OverrideIndex(L("category"), null));
    }

    [Fact]
    public void Levels_and_overrides_are_validated_each_problem_naming_its_setting()
    {
        var policy = new DetectionPolicy
        {
            Levels = ["country", "nationality+country", "borderPoint", "Country"],
            Overrides = [new() { Levels = ["category"], Countries = ["chl"], MinimumRatio = 0.5 }],
        };
        var problems = policy.Problems();
        Assert.Contains("Detection:Levels:2 'borderPoint' has borderPoint without country: a border point belongs to its reporting country", problems);
        Assert.Contains("Detection:Levels:3 'Country' is the level country again", problems);
        Assert.Contains("Detection:Overrides:0:Levels:0 'category' is not one of the levels watched (Detection:Levels)", problems);
        Assert.Contains("Detection:Overrides:0:Countries:0 'chl' is not an ISO 3166-1 alpha-3 code in capitals", problems);
        Assert.Contains("Detection:Overrides:0:MinimumRatio must lie between 1 and 100 (is 0.5)", problems);
        Assert.Empty(new DetectionPolicy().Problems());
        Assert.Equal(SeriesLevel.DefaultNames.Count, new DetectionPolicy().EffectiveLevels.Count);
    }
}
