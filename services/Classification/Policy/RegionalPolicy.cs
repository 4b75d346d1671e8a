using System.Collections.Frozen;

namespace EarlyWarning.Classification.Policy;

/// <summary>A code of a regional code list, with its labels and the description analysts apply it by.</summary>
internal sealed record RegionalCode(string Id, string NameEn, string NameEs, string NamePt, string Description);

/// <summary>An SDMX-style code list: agency, id, version, validity.</summary>
internal sealed record CodeList(string Agency, string Id, string Version, DateOnly ValidFrom, DateOnly? ValidTo, FrozenDictionary<string, RegionalCode> Codes)
{
    /// <summary>The SDMX reference, e.g. RCM_SACM:CL_MIGRANT_CATEGORY(1.0.0).</summary>
    public string Reference => $"{Agency}:{Id}({Version})";
}

/// <summary>A border crossing or flow-monitoring point, in its first-level region and country.</summary>
internal sealed record Place(string Code, string Name, string Country, string Region, string RegionName, string Kind, string? Neighbour, double Latitude, double Longitude);

/// <summary>When a mapping rule applies beyond the category text: conditions on the cell's other fields (all must hold).</summary>
internal sealed record MappingCondition(
    FrozenSet<string>? Places, FrozenSet<string>? PlaceKinds, FrozenSet<string>? Sexes, FrozenSet<string>? AgeGroups)
{
    /// <summary>The conditions in a canonical text, so that two rules with the same conditions can be recognised.</summary>
    public string Key => string.Join(';', new[] { Places, PlaceKinds, Sexes, AgeGroups }
        .Select(s => s is null ? "*" : string.Join(',', s.Order(StringComparer.Ordinal))));

    public int Specificity => (Places is null ? 0 : 1) + (PlaceKinds is null ? 0 : 1) + (Sexes is null ? 0 : 1) + (AgeGroups is null ? 0 : 1);

    public bool Matches(Place place, string? sex, string? ageGroup) =>
        (Places is null || Places.Contains(place.Code) || Places.Contains(place.Region) || Places.Contains(place.Country))
        && (PlaceKinds is null || PlaceKinds.Contains(place.Kind))
        && (Sexes is null || Sexes.Contains(sex ?? "_T"))
        && (AgeGroups is null || AgeGroups.Contains(ageGroup is null ? "_T" : NationalText.Normalize(ageGroup)));
}

/// <summary>One national category text of a country's table and what it means in the regional standard, when.</summary>
internal sealed record MappingRule(string Regional, DateOnly? ValidFrom, DateOnly? ValidTo, MappingCondition? When, int Order)
{
    public bool AppliesOn(DateOnly period) => (ValidFrom is null || period >= ValidFrom) && (ValidTo is null || period < ValidTo);
}

/// <summary>A country's mapping table, as loaded from policy/mappings/&lt;ISO3&gt;.yaml.</summary>
internal sealed record MappingTable(string Country, int Version, DateOnly ValidFrom, FrozenDictionary<string, MappingRule[]> Rules)
{
    public string Reference => $"{Country}:{Version}";
}

/// <summary>
/// Everything Classification applies, loaded from the versioned files under policy/ and validated as a whole:
/// the regional code lists, the gazetteer of places and each country's mapping table.
/// </summary>
internal sealed class RegionalPolicy(
    CodeList categories,
    IReadOnlyList<CodeList> otherCodeLists,
    CodeList areas,
    string namesVersion,
    FrozenDictionary<string, string> nationalities,
    FrozenDictionary<int, string> m49,
    FrozenDictionary<string, Place> placesByCode,
    FrozenDictionary<(string Country, string Name), Place> placesByName,
    FrozenDictionary<string, MappingTable> tables,
    string digest)
{
    public CodeList Categories { get; } = categories;
    public CodeList Areas { get; } = areas;
    public IReadOnlyList<CodeList> CodeLists { get; } = [categories, areas, .. otherCodeLists];
    public IReadOnlyCollection<Place> Places => placesByCode.Values;
    public IReadOnlyDictionary<string, MappingTable> Tables => tables;
    /// <summary>SHA-256 of every policy file, so that two loads of differently edited files are never confused.</summary>
    public string Digest { get; } = digest;
    public string CodeListVersions { get; } = string.Join(' ', new[] { categories, areas }.Concat(otherCodeLists).Select(c => c.Reference).Append($"RCM_SACM:CL_AREA_NAMES({namesVersion})"));

    /// <summary>SDMX's "other": the rare nationalities an agreement publishes together (Anonymization's OtherNationality); it maps to itself.</summary>
    public const string OtherNationality = "_O";

    /// <summary>
    /// Regions (ISO 3166-2 code) and countries (ISO3) of the gazetteer as places: an agreement may publish border
    /// points only as their region or country (Anonymization's generalization), named by that code.
    /// </summary>
    private readonly FrozenDictionary<(string Country, string Code), Place> coarsePlaces = placesByCode.Values
        .GroupBy(p => (p.Country, p.Region))
        .Select(g => new Place(g.Key.Region, g.First().RegionName, g.Key.Country, g.Key.Region, g.First().RegionName, "region", null,
            g.Average(p => p.Latitude), g.Average(p => p.Longitude)))
        .Concat(placesByCode.Values.GroupBy(p => p.Country)
            .Select(g => new Place(g.Key, g.Key, g.Key, g.Key, g.Key, "country", null, g.Average(p => p.Latitude), g.Average(p => p.Longitude))))
        .ToFrozenDictionary(p => (p.Country, p.Code));

    /// <summary>ISO 3166-1 alpha-3 of a nationality written as a code (alpha-3, alpha-2, M49), a name or a demonym; null if none.</summary>
    public string? Nationality(string written)
    {
        if (written == OtherNationality) return OtherNationality;
        var text = NationalText.Normalize(written);
        if (text.Length > 0 && text.All(char.IsAsciiDigit) && text.Length <= 3)
            return m49.GetValueOrDefault(int.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        return nationalities.GetValueOrDefault(text);
    }

    /// <summary>The place a country's file names (by a name, an alias or the regional code itself); null if the gazetteer does not list it.</summary>
    public Place? Place(string country, string written)
    {
        var text = NationalText.Normalize(written);
        return placesByName.GetValueOrDefault((country, text)) ?? coarsePlaces.GetValueOrDefault((country, written.Trim()));
    }

    public Place? PlaceByCode(string code) => placesByCode.GetValueOrDefault(code);

    /// <summary>The regional category of a national category on a period, at a place; null if the country's table has no rule for it.</summary>
    public (string Code, string TableVersion)? Category(string country, string written, DateOnly period, Place place, string? sex, string? ageGroup)
    {
        var text = NationalText.Normalize(written);
        // A regional code maps to itself for every country: an export re-imported gives the same cells.
        if (Categories.Codes.ContainsKey(written.Trim().ToUpperInvariant())) return (written.Trim().ToUpperInvariant(), tables.TryGetValue(country, out var t) ? t.Reference : $"{country}:0");
        if (!tables.TryGetValue(country, out var table) || !table.Rules.TryGetValue(text, out var rules)) return null;
        MappingRule? best = null;
        foreach (var rule in rules)
        {
            if (!rule.AppliesOn(period) || (rule.When is not null && !rule.When.Matches(place, sex, ageGroup))) continue;
            if (best is null || (rule.When?.Specificity ?? 0) > (best.When?.Specificity ?? 0)) best = rule;
        }
        return best is null ? null : (best.Regional, table.Reference);
    }

    /// <summary>Every place code under a code of any level: a country (ISO3), a first-level region or a point.</summary>
    public IReadOnlyList<string> PlacesUnder(string code) =>
        placesByCode.Values.Where(p => p.Code == code || p.Region == code || p.Country == code).Select(p => p.Code).Order(StringComparer.Ordinal).ToList();
}
