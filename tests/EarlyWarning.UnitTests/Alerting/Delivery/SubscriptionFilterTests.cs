using EarlyWarning.Alerting.Delivery;
using static EarlyWarning.UnitTests.Alerting.Delivery.DeliveryFixtures;

namespace EarlyWarning.UnitTests.Alerting.Delivery;

public sealed class SubscriptionFilterTests
{
    private static SubscriptionFilter Filter(string[]? countries = null, string[]? places = null, string[]? corridors = null, string[]? categories = null,
        string[]? nationalities = null, string? minimumSeverity = null, string[]? states = null) =>
        new(countries ?? [], places ?? [], corridors ?? [], categories ?? [], nationalities ?? [], minimumSeverity, states ?? []);

    private static readonly AlertRevision Darien = Revision(place: "PAN-LAJAS-BLANCAS", country: "PAN", severity: "Severe");

    [Fact]
    public void An_empty_filter_takes_every_alert_within_the_scope()
    {
        Assert.True(Filter().Matches(Darien, Policy, null));
        Assert.True(Filter().Matches(Darien, Policy, new HashSet<string> { "PAN" }));
    }

    [Fact]
    public void Nothing_from_a_country_outside_the_owners_scope_passes_whatever_the_filter_says()
    {
        Assert.False(Filter(countries: ["PAN"]).Matches(Darien, Policy, new HashSet<string> { "CHL" }));
        Assert.False(Filter().Matches(Darien, Policy, new HashSet<string>()));
    }

    [Fact]
    public void A_place_matches_at_any_level_of_the_gazetteer()
    {
        Assert.True(Filter(places: ["PAN-LAJAS-BLANCAS"]).Matches(Darien, Policy, null));
        Assert.True(Filter(places: ["PA-5"]).Matches(Darien, Policy, null));
        Assert.True(Filter(places: ["PAN"]).Matches(Darien, Policy, null));
        Assert.False(Filter(places: ["PA-4"]).Matches(Darien, Policy, null));
    }

    [Fact]
    public void A_corridor_is_the_neighbour_a_border_point_faces_and_the_reporting_country()
    {
        Assert.True(Filter(corridors: ["COL-PAN"]).Matches(Darien, Policy, null));
        Assert.False(Filter(corridors: ["CRI-PAN"]).Matches(Darien, Policy, null));
    }

    [Fact]
    public void A_minimum_severity_takes_that_severity_and_worse()
    {
        Assert.True(Filter(minimumSeverity: "Severe").Matches(Darien, Policy, null));
        Assert.True(Filter(minimumSeverity: "Moderate").Matches(Darien, Policy, null));
        Assert.False(Filter(minimumSeverity: "Extreme").Matches(Darien, Policy, null));
    }

    [Fact]
    public void Categories_nationalities_and_states_must_contain_the_alerts_value()
    {
        Assert.True(Filter(categories: ["TRANSIT"], nationalities: ["VEN"], states: ["active"]).Matches(Darien, Policy, null));
        Assert.False(Filter(categories: ["IRREGULAR_ENTRY"]).Matches(Darien, Policy, null));
        Assert.False(Filter(nationalities: ["HTI"]).Matches(Darien, Policy, null));
        Assert.False(Filter(states: ["closed"]).Matches(Darien, Policy, null));
    }

    [Fact]
    public void Unknown_codes_are_problems_that_name_their_field()
    {
        var problems = Filter(countries: ["XYZ1"], places: ["NOWHERE"], corridors: ["COLPAN"], categories: ["WALKING"], minimumSeverity: "Huge", states: ["open"]).Problems(Policy);
        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("places: 'NOWHERE'"));
        Assert.Contains(problems, p => p.StartsWith("minimumSeverity: 'Huge'"));
    }

    [Fact]
    public void The_countries_a_filter_names_include_those_of_its_places_and_corridors()
    {
        Assert.Equal(["CHL", "PAN", "CRI"], Filter(countries: ["CHL"], places: ["PA-5"], corridors: ["PAN-CRI"]).NamedCountries(Policy));
    }
}
