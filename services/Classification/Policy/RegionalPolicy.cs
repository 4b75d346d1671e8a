using System.Collections.Frozen;

namespace EarlyWarning.Classification.Policy;

/// <summary>A code of a regional code list, with its labels and the description analysts apply it by.</summary>
internal sealed record RegionalCode(string Id, string NameEn, string NameEs, string NamePt, string Description)
{
    /// <summary>Categories only: the CL_DIRECTION code the category implies unless a mapping rule says otherwise.</summary>
    public string? Direction { get; init; }
}

/// <summary>What a national category means in the regional standard: the category and the two axes derived with it.</summary>
internal sealed record CategoryMapping(string Code, string Direction, string Vulnerability, string TableVersion);

/// <summary>
/// The meanings of one national category text: itself when it is a regional code, or its table's rules. Looked up
/// once per distinct text of a batch; choosing among the rules for a cell is cheap and allocates nothing.
/// </summary>
internal sealed class CategoryRules(CategoryMapping? regional, MappingRule[] rules, CategoryMapping[] mappings)
{
    public static readonly CategoryRules None = new(null, [], []);

    /// <summary>The rule that applies to a cell (within its dates and conditions; the most specific wins); null if none does.</summary>
    public CategoryMapping? Choose(DateOnly period, Place place, string sex, string ageGroup)
    {
        if (regional is not null) return regional;
        var best = -1;
        for (var i = 0; i < rules.Length; i++)
        {
            var rule = rules[i];
            if (!rule.AppliesOn(period) || (rule.When is not null && !rule.When.Matches(place, sex, ageGroup))) continue;
            if (best < 0 || (rule.When?.Specificity ?? 0) > (rules[best].When?.Specificity ?? 0)) best = i;
        }
        return best < 0 ? null : mappings[best];
    }
}

/// <summary>An SDMX-style code list: agency, id, version, validity.</summary>
internal sealed record CodeList(string Agency, string Id, string Version, DateOnly ValidFrom, DateOnly? ValidTo, FrozenDictionary<string, RegionalCode> Codes)
{
    /// <summary>The SDMX reference, e.g. RCM_SACM:CL_MIGRANT_CATEGORY(1.0.0).</summary>
    public string Reference => $"{Agency}:{Id}({Version})";
}

/// <summary>A border crossing or flow-monitoring point, in its first-level region and country.</summary>
internal sealed record Place(string Code, string Name, string Country, string Region, string RegionName, string Kind, string? Neighbour, double Latitude, double Longitude)
{
    /// <summary>Other spellings the gazetteer lists for the point.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}

/// <summary>A national writing of a table as written, the code it means and the rule or entry it is part of.</summary>
/// <remarks><paramref name="Plain"/>: the rule has no dates, conditions, direction or vulnerability of its own.</remarks>
internal sealed record NationalWriting(string Written, string Regional, int Entry, bool Plain);

/// <summary>When a mapping rule applies beyond the category text: conditions on the cell's other fields (all must hold).</summary>
internal sealed record MappingCondition(
    FrozenSet<string>? Places, FrozenSet<string>? PlaceKinds, FrozenSet<string>? Sexes, FrozenSet<string>? AgeGroups)
{
    /// <summary>The conditions in a canonical text, so that two rules with the same conditions can be recognised.</summary>
    public string Key => string.Join(';', new[] { Places, PlaceKinds, Sexes, AgeGroups }
        .Select(s => s is null ? "*" : string.Join(',', s.Order(StringComparer.Ordinal))));

    public int Specificity => (Places is null ? 0 : 1) + (PlaceKinds is null ? 0 : 1) + (Sexes is null ? 0 : 1) + (AgeGroups is null ? 0 : 1);

    /// <summary>Judged on the cell's regional codes: its place, its CL_SEX code and its CL_AGE code.</summary>
    public bool Matches(Place place, string sex, string ageGroup) =>
        (Places is null || Places.Contains(place.Code) || Places.Contains(place.Region) || Places.Contains(place.Country))
        && (PlaceKinds is null || PlaceKinds.Contains(place.Kind))
        && (Sexes is null || Sexes.Contains(sex))
        && (AgeGroups is null || AgeGroups.Contains(ageGroup));
}

/// <summary>One national category text of a country's table and what it means in the regional standard, when.</summary>
internal sealed record MappingRule(string Regional, DateOnly? ValidFrom, DateOnly? ValidTo, MappingCondition? When, int Order, string Direction, string Vulnerability)
{
    public bool AppliesOn(DateOnly period) => (ValidFrom is null || period >= ValidFrom) && (ValidTo is null || period < ValidTo);
}

/// <summary>A country's mapping table, as loaded from policy/mappings/&lt;ISO3&gt;.yaml.</summary>
/// <remarks><paramref name="Sexes"/> and <paramref name="Ages"/>: national writings (normalized) of CL_SEX and CL_AGE codes.</remarks>
internal sealed record MappingTable(string Country, int Version, DateOnly ValidFrom, FrozenDictionary<string, MappingRule[]> Rules,
    FrozenDictionary<string, string> Sexes, FrozenDictionary<string, string> Ages)
{
    public string Reference => $"{Country}:{Version}";

    /// <summary>The table's writings as written, for the review's suggestions.</summary>
    public IReadOnlyList<NationalWriting> CategoryWritings { get; init; } = [];
    public IReadOnlyList<NationalWriting> SexWritings { get; init; } = [];
    public IReadOnlyList<NationalWriting> AgeWritings { get; init; } = [];

    /// <summary>Normalized writings a steward decided are no flow category: they stay held, with the reason given.</summary>
    public FrozenDictionary<string, string> KeepHeld { get; init; } = FrozenDictionary<string, string>.Empty;
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
    string digest,
    Review.Suggestions.ReviewLexicon lexicon)
{
    /// <summary>What the review knows of national words (policy/review/lexicon.yaml).</summary>
    public Review.Suggestions.ReviewLexicon Lexicon { get; } = lexicon;

    /// <summary>Every written form of a nationality (normalized) the policy recognises, and its ISO alpha-3 code.</summary>
    public IReadOnlyDictionary<string, string> NationalityForms => nationalities;

    public CodeList Categories { get; } = categories;
    public CodeList Areas { get; } = areas;
    public CodeList SexCodes { get; } = otherCodeLists.Single(c => c.Id == "CL_SEX");
    public CodeList AgeCodes { get; } = otherCodeLists.Single(c => c.Id == "CL_AGE");
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

    /// <summary>
    /// The regional category of a national category on a period, at a place, for a cell of the given CL_SEX and CL_AGE
    /// codes, with the direction and vulnerability the rule derives; null if the country's table has no rule for it.
    /// </summary>
    public CategoryMapping? Category(string country, string written, DateOnly period, Place place, string sex, string ageGroup) =>
        RulesFor(country, written).Choose(period, place, sex, ageGroup);

    /// <summary>Everything a national category text can mean for a country, to be chosen from per cell (<see cref="CategoryRules.Choose"/>).</summary>
    public CategoryRules RulesFor(string country, string written)
    {
        var version = tables.TryGetValue(country, out var table) ? table.Reference : $"{country}:0";
        // A regional code maps to itself for every country: an export re-imported gives the same cells.
        if (Categories.Codes.TryGetValue(written.Trim().ToUpperInvariant(), out var code))
            return new CategoryRules(new CategoryMapping(code.Id, code.Direction ?? NotApplicable, NotApplicable, version), [], []);
        if (table is null || !table.Rules.TryGetValue(NationalText.Normalize(written), out var rules)) return CategoryRules.None;
        return new CategoryRules(null, rules, rules.Select(r => new CategoryMapping(r.Regional, r.Direction, r.Vulnerability, version)).ToArray());
    }

    /// <summary>SDMX's code for "not applicable" (CL_DIRECTION, CL_VULNERABILITY) and for "total" (CL_SEX, CL_AGE).</summary>
    public const string NotApplicable = "_Z", Total = "_T";

    /// <summary>The CL_SEX code of a sex as a country's file writes it (no sex is the total); null if neither a code nor in the table.</summary>
    public string? Sex(string country, string? written) => Code(SexCodes, country, written, t => t.Sexes);

    /// <summary>
    /// The CL_AGE code of an age group as a country's file writes it (no age group is the total): a code, a writing of
    /// the country's table, or a band as the agreements publish it ("18-59") that a code defines exactly; else null.
    /// </summary>
    public string? AgeGroup(string country, string? written) =>
        Code(AgeCodes, country, written, t => t.Ages)
        ?? (written is not null && AgeBand.OfPublished(written) is { } band ? ageCodesByBand.GetValueOrDefault(band) : null);

    private readonly FrozenDictionary<AgeBand, string> ageCodesByBand = otherCodeLists.Single(c => c.Id == "CL_AGE").Codes.Keys
        .Where(id => id != Total).Order(StringComparer.Ordinal)
        .Select(id => (Id: id, Band: AgeBand.OfCode(id))).Where(c => c.Band is not null)
        .DistinctBy(c => c.Band).ToFrozenDictionary(c => c.Band!.Value, c => c.Id);

    private string? Code(CodeList list, string country, string? written, Func<MappingTable, FrozenDictionary<string, string>> national)
    {
        if (string.IsNullOrWhiteSpace(written)) return Total;
        var trimmed = written.Trim();
        if (list.Codes.ContainsKey(trimmed)) return trimmed;
        if (list.Codes.ContainsKey(trimmed.ToUpperInvariant())) return trimmed.ToUpperInvariant();
        return tables.TryGetValue(country, out var table) ? national(table).GetValueOrDefault(NationalText.Normalize(trimmed)) : null;
    }

    /// <summary>Every place code under a code of any level: a country (ISO3), a first-level region or a point.</summary>
    public IReadOnlyList<string> PlacesUnder(string code) =>
        placesByCode.Values.Where(p => p.Code == code || p.Region == code || p.Country == code).Select(p => p.Code).Order(StringComparer.Ordinal).ToList();
}
