using System.Globalization;
using YamlDotNet.Serialization;

namespace EarlyWarning.Evaluation.Generation;

/// <summary>A border point as a country's file writes it, and the regional code and kind the gazetteer gives it.</summary>
internal sealed record PointTerm(string National, string Code, string Kind);

/// <summary>A national category that maps to one regional category whatever the place, sex, age or date.</summary>
internal sealed record CategoryTerm(string National, string Regional);

/// <summary>A nationality as a country's file writes it (a demonym of its language) and its ISO 3166-1 alpha-3 code.</summary>
internal sealed record NationalityTerm(string National, string Iso3);

/// <summary>What the generator needs of one country's policy files: its vocabulary, its age bands and its threshold k.</summary>
internal sealed record CountryVocabulary(string Country, IReadOnlyList<PointTerm> Points, IReadOnlyList<CategoryTerm> Categories,
    IReadOnlyList<NationalityTerm> Nationalities, IReadOnlyList<string> AgeBands, int Threshold);

/// <summary>
/// Reads the national vocabulary of each country from policy/ (places, mappings, agreements, nationality names), keeping
/// only values whose regional meaning is unconditional: a category term listed in exactly one rule without conditions or
/// validity dates, every point under its gazetteer name, each nationality by its demonym in the country's language.
/// </summary>
internal static class PolicyVocabulary
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    /// <summary>Nationalities seen on the region's routes, most frequent first (the generator weights them so).</summary>
    public static readonly string[] RouteNationalities =
        ["VEN", "HTI", "COL", "CUB", "ECU", "NIC", "HND", "GTM", "PER", "BOL", "CHN", "IND", "AFG", "SLV", "DOM", "CMR", "AGO", "UZB", "ARG", "BRA", "CHL", "MEX"];

    /// <summary>Countries with their own agreement, mapping table and gazetteer.</summary>
    public static IReadOnlyList<string> Countries(string policyDirectory) =>
        Directory.GetFiles(Path.Combine(policyDirectory, "agreements"), "*.yaml").Select(Path.GetFileNameWithoutExtension)
            .Where(c => c is { Length: 3 } && c.All(char.IsAsciiLetterUpper)
                        && File.Exists(Path.Combine(policyDirectory, "mappings", c + ".yaml"))
                        && File.Exists(Path.Combine(policyDirectory, "places", c + ".yaml")))
            .Select(c => c!).Order(StringComparer.Ordinal).ToList();

    public static CountryVocabulary Load(string policyDirectory, string country)
    {
        var places = Read(Path.Combine(policyDirectory, "places", country + ".yaml"));
        var points = new List<PointTerm>();
        foreach (var region in List(places, "regions"))
        foreach (var point in List(region, "points"))
            points.Add(new PointTerm(Text(point, "name"), Text(point, "code"), Text(point, "kind")));

        var mapping = Read(Path.Combine(policyDirectory, "mappings", country + ".yaml"));
        var rules = List(mapping, "rules").ToList();
        var termRules = rules.SelectMany(r => Strings(r, "national").Select(t => Fold(t))).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        var categories = new List<CategoryTerm>();
        foreach (var rule in rules)
        {
            if (rule.ContainsKey("when") || rule.ContainsKey("validFrom") || rule.ContainsKey("validTo")) continue;
            var regional = Text(rule, "regional");
            if (categories.Any(c => c.Regional == regional)) continue;
            var term = Strings(rule, "national").FirstOrDefault(t => termRules[Fold(t)] == 1);
            if (term is not null) categories.Add(new CategoryTerm(term, regional));
        }

        var agreement = Read(Path.Combine(policyDirectory, "agreements", country + ".yaml"));
        var generalization = Map(agreement, "generalization");
        var ageGroups = generalization is null ? [] : Map(generalization, "ageGroups")?.Keys.Select(k => k.ToString()!).ToList() ?? [];
        var threshold = List(agreement, "published").Where(t => Text(t, "table") == "series")
            .Select(t => Map(t, "disclosure") is { } d && d.TryGetValue("threshold", out var k) ? int.Parse(k.ToString()!, CultureInfo.InvariantCulture) : 0)
            .FirstOrDefault();

        var language = country == "BRA" ? "pt" : "es";
        var names = Read(Path.Combine(policyDirectory, "codelists", "nationality-names.yaml"));
        var demonyms = Map(names, "demonyms") ?? [];
        var nationalities = new List<NationalityTerm>();
        foreach (var iso in RouteNationalities)
        {
            if (iso == country || !demonyms.TryGetValue(iso, out var entry) || entry is not Dictionary<object, object> byLanguage) continue;
            if (byLanguage.TryGetValue(language, out var forms) && forms is List<object> { Count: > 0 } list)
                nationalities.Add(new NationalityTerm(list[0].ToString()!, iso));
        }
        return new CountryVocabulary(country, points, categories, nationalities, CoarsestPartition(ageGroups), threshold);
    }

    /// <summary>
    /// The coarsest set of the agreement's national age groups ("0-17", "18-59", "60+") that together cover every age
    /// once: what a national table by age band publishes. Empty when the groups cover no partition.
    /// </summary>
    public static IReadOnlyList<string> CoarsestPartition(IEnumerable<string> groups)
    {
        var ranges = new List<(int From, int To, string Name)>();
        foreach (var g in groups)
        {
            var text = g.Trim();
            if (text.EndsWith('+') && int.TryParse(text[..^1], out var from)) ranges.Add((from, int.MaxValue, g));
            else if (text.Split('-') is [var a, var b] && int.TryParse(a, out var lo) && int.TryParse(b, out var hi) && hi >= lo) ranges.Add((lo, hi, g));
        }
        var bands = new List<string>();
        var next = 0;
        while (next != int.MaxValue)
        {
            var candidates = ranges.Where(r => r.From == next).ToList();
            if (candidates.Count == 0) return [];
            var widest = candidates.MaxBy(r => r.To);
            bands.Add(widest.Name);
            next = widest.To == int.MaxValue ? int.MaxValue : widest.To + 1;
        }
        return bands;
    }

    /// <summary>Case and accents folded, as Classification compares national texts.</summary>
    public static string Fold(string text) =>
        new string(text.Trim().ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormD)
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());

    private static Dictionary<object, object> Read(string path) =>
        Yaml.Deserialize<Dictionary<object, object>>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty");

    private static Dictionary<object, object>? Map(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) ? value as Dictionary<object, object> : null;

    private static IEnumerable<Dictionary<object, object>> List(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) && value is List<object> list ? list.OfType<Dictionary<object, object>>() : [];

    private static IEnumerable<string> Strings(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) && value is List<object> list ? list.Select(v => v.ToString()!) : [];

    private static string Text(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) && value?.ToString() is { } s ? s : throw new InvalidDataException($"'{key}' is missing");
}
