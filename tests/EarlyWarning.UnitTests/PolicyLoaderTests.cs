using EarlyWarning.Classification.Policy;

namespace EarlyWarning.UnitTests;

/// <summary>An invalid policy file stops the load with a message naming the file and the field.</summary>
public sealed class PolicyLoaderTests : IDisposable
{
    private readonly string _copy = RepositoryPolicy.Copy();

    private PolicyException Invalid(string file, string from, string to)
    {
        var path = Path.Combine(_copy, file);
        var text = File.ReadAllText(path);
        Assert.Contains(from, text);
        File.WriteAllText(path, text.Replace(from, to));
        return Assert.Throws<PolicyException>(() => PolicyLoader.Load(_copy));
    }

    [Fact]
    public void The_repository_policy_loads_with_every_country_of_the_issue()
    {
        var policy = PolicyLoader.Load(_copy);
        Assert.Equal(["BRA", "CHL", "COL", "CRI", "ECU", "MEX", "PAN", "PER"], policy.Tables.Keys.Order());
        Assert.Equal(13, policy.Categories.Codes.Count);
        Assert.Equal(policy.Digest, RepositoryPolicy.Current.Digest);
    }

    [Fact]
    public void A_point_added_without_coordinates_loads_but_one_with_half_of_them_is_refused()
    {
        var path = Path.Combine(_copy, "places", "ECU.yaml");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.Replace("{code: ECU-MACARA, name: Macará, kind: border-crossing, neighbour: PER, lat: -4.3830, lon: -79.9490,",
            "{code: ECU-MACARA, name: Macará, kind: border-crossing, neighbour: PER,"));
        Assert.True(double.IsNaN(PolicyLoader.Load(_copy).PlaceByCode("ECU-MACARA")!.Latitude));
        var e = Invalid("places/ECU.yaml", "neighbour: PER, aliases", "neighbour: PER, lat: -4.38, aliases");
        Assert.Equal(("places/ECU.yaml", "regions[2].points[0].lat"), (e.File, e.Field));
    }

    [Fact]
    public void A_term_both_kept_held_and_mapped_is_refused()
    {
        var e = Invalid("mappings/CHL.yaml", "rules:\n", "keepHeld:\n  - national: [Autodenuncia]\n    reason: test\nrules:\n");
        Assert.Equal(("mappings/CHL.yaml", "keepHeld[0].national[0]"), (e.File, e.Field));
    }

    [Fact]
    public void A_rule_naming_a_regional_code_that_does_not_exist_is_refused()
    {
        var e = Invalid("mappings/CHL.yaml", "regional: FORCED_RETURN", "regional: DEPORTED");
        Assert.Equal(("mappings/CHL.yaml", "rules[7].regional"), (e.File, e.Field));
        Assert.Contains("'DEPORTED' is not a code of RCM_SACM:CL_MIGRANT_CATEGORY(1.1.0)", e.Message);
    }

    [Fact]
    public void Two_rules_giving_one_national_category_two_meanings_at_once_are_refused()
    {
        var e = Invalid("mappings/CHL.yaml", "national: [Expulsión,", "national: [Autodenuncia, Expulsión,");
        Assert.Equal(("mappings/CHL.yaml", "rules[7].national[0]"), (e.File, e.Field));
    }

    [Fact]
    public void A_misspelt_field_is_refused_with_its_line()
    {
        var e = Invalid("mappings/PER.yaml", "    validFrom: 2020-10-22", "    validFrom: 2020-10-22\n    validUntil: 2030-01-01");
        Assert.Equal("mappings/PER.yaml", e.File);
        Assert.Contains("validUntil", e.Reason);
    }

    [Fact]
    public void A_border_crossing_without_its_neighbouring_country_is_refused()
    {
        var e = Invalid("places/CHL.yaml", "kind: border-crossing, neighbour: BOL, lat: -19.2760", "kind: border-crossing, lat: -19.2760");
        Assert.Equal(("places/CHL.yaml", "regions[1].points[0].neighbour"), (e.File, e.Field));
    }

    [Fact]
    public void A_demonym_that_would_mean_two_nationalities_is_refused()
    {
        var e = Invalid("codelists/nationality-names.yaml", "CUB: {es: [cubano]", "CUB: {es: [venezolano]");
        Assert.Equal(("codelists/nationality-names.yaml", "demonyms.VEN.es"), (e.File, e.Field));
    }

    [Fact]
    public void A_code_without_a_description_is_refused()
    {
        var e = Invalid("codelists/CL_MIGRANT_CATEGORY.yaml",
            "    description: A person detected facilitating irregular entry or transit for profit (FRAN \"facilitators\").\n", "");
        Assert.Equal(("codelists/CL_MIGRANT_CATEGORY.yaml", "codes[10].description"), (e.File, e.Field));
    }

    [Fact]
    public void An_age_group_mapped_to_a_code_the_age_code_list_does_not_have_is_refused()
    {
        var e = Invalid("mappings/PAN.yaml", "  - regional: Y_GE18\n", "  - regional: Y_ADULT\n");
        Assert.Equal("mappings/PAN.yaml", e.File);
        Assert.StartsWith("ages[", e.Field);
        Assert.Contains("'Y_ADULT' is not a code of RCM_SACM:CL_AGE(1.1.0)", e.Message);
    }

    [Fact]
    public void One_age_group_written_for_two_standard_age_groups_is_refused()
    {
        var e = Invalid("mappings/PAN.yaml", "national: [Adulto, Adultos,", "national: [Menores, Adulto, Adultos,");
        Assert.Equal("mappings/PAN.yaml", e.File);
        Assert.Contains("'Menores' already means Y_LT18", e.Message);
    }

    [Fact]
    public void A_rule_deriving_a_direction_the_code_list_does_not_have_is_refused()
    {
        var e = Invalid("mappings/CRI.yaml", "    direction: EXIT\n", "    direction: NORTH\n");
        Assert.Equal("mappings/CRI.yaml", e.File);
        Assert.EndsWith(".direction", e.Field);
        Assert.Contains("'NORTH' is not a code of RCM_SACM:CL_DIRECTION(1.1.0)", e.Message);
    }

    [Fact]
    public void A_rule_deriving_a_vulnerability_the_code_list_does_not_have_is_refused()
    {
        var e = Invalid("mappings/MEX.yaml", "    vulnerability: UASC\n", "    vulnerability: CHILD\n");
        Assert.EndsWith(".vulnerability", e.Field);
        Assert.Contains("'CHILD' is not a code of RCM_SACM:CL_VULNERABILITY(1.0.0)", e.Message);
    }

    [Fact]
    public void A_condition_on_an_age_group_names_standard_age_codes()
    {
        var e = Invalid("mappings/MEX.yaml", "when: {ageGroup: [Y0T4,", "when: {ageGroup: [0-4,");
        Assert.EndsWith(".when.ageGroup", e.Field);
    }

    public void Dispose() => Directory.Delete(_copy, recursive: true);
}
