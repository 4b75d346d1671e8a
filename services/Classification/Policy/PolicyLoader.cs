using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using EarlyWarning.Classification.Review.Suggestions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EarlyWarning.Classification.Policy;

/// <summary>
/// Reads and validates policy/codelists, policy/places and policy/mappings. Any invalid file stops the load with
/// a <see cref="PolicyException"/> naming the file and the field.
/// </summary>
internal static class PolicyLoader
{
    public static readonly FrozenSet<string> PlaceKinds =
        FrozenSet.ToFrozenSet(["border-crossing", "flow-monitoring", "reception-station", "airport", "port"]);

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    public static RegionalPolicy Load(string directory)
    {
        if (!Directory.Exists(Path.Combine(directory, "codelists")))
            throw new PolicyException(directory, "codelists", "the policy directory has no codelists folder");
        var files = new List<(string Relative, byte[] Content)>();

        var codeLists = new Dictionary<string, CodeList>();
        var areaFile = (CodeListFile?)null;
        foreach (var path in YamlFiles(directory, "codelists"))
        {
            if (Path.GetFileName(path) == "nationality-names.yaml") continue;
            var (relative, file) = Read<CodeListFile>(directory, path, files);
            var list = CodeListOf(relative, file);
            if (list.Id != Path.GetFileNameWithoutExtension(path)) throw new PolicyException(relative, "id", $"'{list.Id}' differs from the file name");
            codeLists[list.Id] = list;
            if (list.Id == "CL_AREA") areaFile = file;
        }
        var categories = codeLists.GetValueOrDefault("CL_MIGRANT_CATEGORY") ?? throw new PolicyException("codelists/CL_MIGRANT_CATEGORY.yaml", "file", "missing");
        var areas = codeLists.GetValueOrDefault("CL_AREA") ?? throw new PolicyException("codelists/CL_AREA.yaml", "file", "missing");
        var sexes = codeLists.GetValueOrDefault("CL_SEX") ?? throw new PolicyException("codelists/CL_SEX.yaml", "file", "missing");
        var ages = codeLists.GetValueOrDefault("CL_AGE") ?? throw new PolicyException("codelists/CL_AGE.yaml", "file", "missing");
        var directions = codeLists.GetValueOrDefault("CL_DIRECTION") ?? throw new PolicyException("codelists/CL_DIRECTION.yaml", "file", "missing");
        var vulnerabilities = codeLists.GetValueOrDefault("CL_VULNERABILITY") ?? throw new PolicyException("codelists/CL_VULNERABILITY.yaml", "file", "missing");
        var axes = new Axes(sexes, ages, directions, vulnerabilities);
        foreach (var code in categories.Codes.Values)
            if (code.Direction is { } d && !directions.Codes.ContainsKey(d))
                throw new PolicyException("codelists/CL_MIGRANT_CATEGORY.yaml", $"codes[{code.Id}].direction", $"'{d}' is not a code of {directions.Reference}");

        var namesPath = Path.Combine(directory, "codelists", "nationality-names.yaml");
        if (!File.Exists(namesPath)) throw new PolicyException("codelists/nationality-names.yaml", "file", "missing");
        var (namesRelative, names) = Read<NationalityNamesFile>(directory, namesPath, files);
        var (nationalities, m49) = NationalityIndex.Build(areaFile!, areas, namesRelative, names);

        var (placesByCode, placesByName) = LoadPlaces(directory, areas, files);
        var tables = new Dictionary<string, MappingTable>();
        foreach (var path in YamlFiles(directory, "mappings"))
        {
            var (relative, file) = Read<MappingFile>(directory, path, files);
            var table = TableOf(relative, file, categories, areas, axes, placesByCode);
            if (table.Country != Path.GetFileNameWithoutExtension(path)) throw new PolicyException(relative, "country", $"'{table.Country}' differs from the file name");
            tables[table.Country] = table;
        }

        var lexiconPath = Path.Combine(directory, ReviewLexicon.File);
        var lexicon = File.Exists(lexiconPath) ? ReviewLexicon.Load(ReviewLexicon.File, Read<LexiconFile>(directory, lexiconPath, files).File) : ReviewLexicon.Empty;

        return new RegionalPolicy(categories, codeLists.Values.Where(c => c != categories && c != areas).OrderBy(c => c.Id, StringComparer.Ordinal).ToList(),
            areas, names.Version ?? throw new PolicyException(namesRelative, "version", "required"),
            nationalities, m49, placesByCode.ToFrozenDictionary(), placesByName.ToFrozenDictionary(), tables.ToFrozenDictionary(), Digest(files), lexicon);
    }

    private static IEnumerable<string> YamlFiles(string directory, string folder)
    {
        var path = Path.Combine(directory, folder);
        return Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.yaml").Order(StringComparer.Ordinal) : [];
    }

    private static (string Relative, T File) Read<T>(string directory, string path, List<(string, byte[])> files)
    {
        var relative = Path.GetRelativePath(directory, path).Replace('\\', '/');
        var content = File.ReadAllBytes(path);
        files.Add((relative, content));
        try
        {
            var file = Yaml.Deserialize<T>(Encoding.UTF8.GetString(content));
            return (relative, file ?? throw new PolicyException(relative, "file", "empty"));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            throw new PolicyException(relative, $"line {e.Start.Line}, column {e.Start.Column}", inner);
        }
    }

    private static CodeList CodeListOf(string file, CodeListFile list)
    {
        var agency = Required(file, "agency", list.Agency);
        var id = Required(file, "id", list.Id);
        var version = Required(file, "version", list.Version);
        var validFrom = list.ValidFrom ?? throw new PolicyException(file, "validFrom", "required");
        if (list.ValidTo is { } to && to <= validFrom) throw new PolicyException(file, "validTo", "must be after validFrom");
        if (list.Codes is not { Count: > 0 }) throw new PolicyException(file, "codes", "at least one code is required");
        var codes = new Dictionary<string, RegionalCode>();
        for (var i = 0; i < list.Codes.Count; i++)
        {
            var code = list.Codes[i];
            var field = $"codes[{i}]";
            var codeId = Required(file, field + ".id", code.Id);
            var name = code.Name ?? throw new PolicyException(file, field + ".name", "labels en, es and pt are required");
            var description = id == "CL_AREA" ? code.Description ?? "" : Required(file, field + ".description", code.Description);
            if (code.Direction is not null && id != "CL_MIGRANT_CATEGORY")
                throw new PolicyException(file, field + ".direction", "only a migrant category implies a direction");
            if (!codes.TryAdd(codeId, new RegionalCode(codeId, Required(file, field + ".name.en", name.En), Required(file, field + ".name.es", name.Es),
                    Required(file, field + ".name.pt", name.Pt), description) { Direction = code.Direction }))
                throw new PolicyException(file, field + ".id", $"'{codeId}' is listed twice");
        }
        return new CodeList(agency, id, version, validFrom, list.ValidTo, codes.ToFrozenDictionary());
    }

    private static (Dictionary<string, Place>, Dictionary<(string, string), Place>) LoadPlaces(string directory, CodeList areas, List<(string, byte[])> files)
    {
        var byCode = new Dictionary<string, Place>();
        var byName = new Dictionary<(string, string), Place>();
        foreach (var path in YamlFiles(directory, "places"))
        {
            var (file, places) = Read<PlacesFile>(directory, path, files);
            var country = Required(file, "country", places.Country);
            if (!areas.Codes.ContainsKey(country)) throw new PolicyException(file, "country", $"'{country}' is not a code of CL_AREA");
            if (places.Version is not > 0) throw new PolicyException(file, "version", "a positive whole number is required");
            if (places.Regions is not { Count: > 0 }) throw new PolicyException(file, "regions", "at least one region is required");
            for (var r = 0; r < places.Regions.Count; r++)
            {
                var region = places.Regions[r];
                var regionField = $"regions[{r}]";
                var regionCode = Required(file, regionField + ".code", region.Code);
                var regionName = Required(file, regionField + ".name", region.Name);
                if (region.Points is not { Count: > 0 }) throw new PolicyException(file, regionField + ".points", "at least one point is required");
                for (var p = 0; p < region.Points.Count; p++)
                {
                    var point = region.Points[p];
                    var field = $"{regionField}.points[{p}]";
                    var code = Required(file, field + ".code", point.Code);
                    if (!code.StartsWith(country + "-", StringComparison.Ordinal) || code != code.ToUpperInvariant() || code.Contains(' '))
                        throw new PolicyException(file, field + ".code", $"'{code}' must be upper case without spaces and start with '{country}-'");
                    var kind = Required(file, field + ".kind", point.Kind);
                    if (!PlaceKinds.Contains(kind)) throw new PolicyException(file, field + ".kind", $"'{kind}' is not one of {string.Join(", ", PlaceKinds.Order())}");
                    if (point.Neighbour is { } n && !areas.Codes.ContainsKey(n)) throw new PolicyException(file, field + ".neighbour", $"'{n}' is not a code of CL_AREA");
                    if (kind == "border-crossing" && point.Neighbour is null) throw new PolicyException(file, field + ".neighbour", "a border crossing needs the neighbouring country");
                    // A point a steward added from a national spelling may not have coordinates yet: both or neither.
                    if (point.Lat is null != point.Lon is null) throw new PolicyException(file, field + ".lat", "lat and lon go together");
                    if (point.Lat is not (null or >= -90 and <= 90)) throw new PolicyException(file, field + ".lat", "a latitude between -90 and 90 is required");
                    if (point.Lon is not (null or >= -180 and <= 180)) throw new PolicyException(file, field + ".lon", "a longitude between -180 and 180 is required");
                    var place = new Place(code, Required(file, field + ".name", point.Name), country, regionCode, regionName, kind, point.Neighbour, point.Lat ?? double.NaN, point.Lon ?? double.NaN)
                    {
                        Aliases = point.Aliases ?? [],
                    };
                    if (!byCode.TryAdd(code, place)) throw new PolicyException(file, field + ".code", $"'{code}' is listed twice");
                    foreach (var name in (point.Aliases ?? []).Prepend(place.Name).Prepend(code))
                    {
                        var key = (country, NationalText.Normalize(name));
                        if (byName.TryGetValue(key, out var other) && other.Code != code)
                            throw new PolicyException(file, field + ".aliases", $"'{name}' already names {other.Code}");
                        byName[key] = place;
                    }
                }
            }
        }
        return (byCode, byName);
    }

    /// <summary>The code lists a mapping table's rules and code mappings are checked against.</summary>
    private sealed record Axes(CodeList Sexes, CodeList Ages, CodeList Directions, CodeList Vulnerabilities);

    private static MappingTable TableOf(string file, MappingFile table, CodeList categories, CodeList areas, Axes axes, Dictionary<string, Place> places)
    {
        var country = Required(file, "country", table.Country);
        if (!areas.Codes.ContainsKey(country)) throw new PolicyException(file, "country", $"'{country}' is not a code of CL_AREA");
        if (table.Version is not > 0) throw new PolicyException(file, "version", "a positive whole number is required");
        var validFrom = table.ValidFrom ?? throw new PolicyException(file, "validFrom", "required");
        if (table.Rules is not { Count: > 0 }) throw new PolicyException(file, "rules", "at least one rule is required");
        var rules = new Dictionary<string, List<MappingRule>>();
        var writings = new List<NationalWriting>();
        for (var i = 0; i < table.Rules.Count; i++)
        {
            var rule = table.Rules[i];
            var field = $"rules[{i}]";
            var regional = Required(file, field + ".regional", rule.Regional);
            if (!categories.Codes.ContainsKey(regional)) throw new PolicyException(file, field + ".regional", $"'{regional}' is not a code of {categories.Reference}");
            if (rule.National is not { Count: > 0 }) throw new PolicyException(file, field + ".national", "at least one national category is required");
            if (rule.ValidFrom is { } from && rule.ValidTo is { } to && to <= from) throw new PolicyException(file, field + ".validTo", "must be after validFrom");
            var when = ConditionOf(file, field + ".when", rule.When, axes, places);
            var direction = rule.Direction ?? categories.Codes[regional].Direction ?? RegionalPolicy.NotApplicable;
            if (!axes.Directions.Codes.ContainsKey(direction)) throw new PolicyException(file, field + ".direction", $"'{direction}' is not a code of {axes.Directions.Reference}");
            var vulnerability = rule.Vulnerability ?? RegionalPolicy.NotApplicable;
            if (!axes.Vulnerabilities.Codes.ContainsKey(vulnerability))
                throw new PolicyException(file, field + ".vulnerability", $"'{vulnerability}' is not a code of {axes.Vulnerabilities.Reference}");
            var mapped = new MappingRule(regional, rule.ValidFrom, rule.ValidTo, when, i, direction, vulnerability);
            var plain = rule is { ValidFrom: null, ValidTo: null, When: null, Direction: null, Vulnerability: null };
            writings.AddRange(rule.National.Where(n => n is not null).Select(n => new NationalWriting(n!, regional, i, plain)));
            for (var n = 0; n < rule.National.Count; n++)
            {
                var text = NationalText.Normalize(rule.National[n] ?? "");
                if (text.Length == 0) throw new PolicyException(file, $"{field}.national[{n}]", "empty");
                var same = rules.TryGetValue(text, out var existing) ? existing : rules[text] = [];
                if (same.Contains(mapped)) continue; // the same text written twice in one rule (with and without accents)
                // Two rules for one text may coexist only if they never apply to the same cell: different periods or conditions.
                if (same.FirstOrDefault(r => Overlap(r, mapped)) is { } clash)
                    throw new PolicyException(file, $"{field}.national[{n}]", $"'{rule.National[n]}' is already mapped by rules[{clash.Order}] for overlapping dates and conditions");
                same.Add(mapped);
            }
        }
        return new MappingTable(country, table.Version.Value, validFrom, rules.ToFrozenDictionary(r => r.Key, r => r.Value.ToArray()),
            CodesOf(file, "sexes", table.Sexes, axes.Sexes), CodesOf(file, "ages", table.Ages, axes.Ages))
        {
            KeepHeld = KeepHeldOf(file, table.KeepHeld, rules),
            CategoryWritings = writings,
            SexWritings = WritingsOf(table.Sexes),
            AgeWritings = WritingsOf(table.Ages),
        };
    }

    /// <summary>Writings a steward decided are no flow category: held on purpose, so no rule may map them too.</summary>
    private static FrozenDictionary<string, string> KeepHeldOf(string file, List<KeepHeldFile>? items, Dictionary<string, List<MappingRule>> rules)
    {
        var kept = new Dictionary<string, string>();
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var item = items![i];
            var reason = Required(file, $"keepHeld[{i}].reason", item.Reason);
            if (item.National is not { Count: > 0 }) throw new PolicyException(file, $"keepHeld[{i}].national", "at least one national category is required");
            for (var n = 0; n < item.National.Count; n++)
            {
                var text = NationalText.Normalize(item.National[n] ?? "");
                if (text.Length == 0) throw new PolicyException(file, $"keepHeld[{i}].national[{n}]", "empty");
                if (rules.TryGetValue(text, out var mapped))
                    throw new PolicyException(file, $"keepHeld[{i}].national[{n}]", $"'{item.National[n]}' is kept held and mapped by rules[{mapped[0].Order}]");
                kept[text] = reason;
            }
        }
        return kept.ToFrozenDictionary();
    }

    private static List<NationalWriting> WritingsOf(List<CodeMappingFile>? mappings) =>
        (mappings ?? []).SelectMany((m, i) => (m.National ?? []).Where(n => n is not null).Select(n => new NationalWriting(n, m.Regional!, i, true))).ToList();

    /// <summary>National writings of the codes of one code list; one writing names one code only.</summary>
    private static FrozenDictionary<string, string> CodesOf(string file, string section, List<CodeMappingFile>? mappings, CodeList list)
    {
        var codes = new Dictionary<string, string>();
        for (var i = 0; i < (mappings?.Count ?? 0); i++)
        {
            var mapping = mappings![i];
            var field = $"{section}[{i}]";
            var regional = Required(file, field + ".regional", mapping.Regional);
            if (!list.Codes.ContainsKey(regional)) throw new PolicyException(file, field + ".regional", $"'{regional}' is not a code of {list.Reference}");
            if (mapping.National is not { Count: > 0 }) throw new PolicyException(file, field + ".national", "at least one national writing is required");
            for (var n = 0; n < mapping.National.Count; n++)
            {
                var text = NationalText.Normalize(mapping.National[n] ?? "");
                if (text.Length == 0) throw new PolicyException(file, $"{field}.national[{n}]", "empty");
                if (codes.TryGetValue(text, out var other) && other != regional)
                    throw new PolicyException(file, $"{field}.national[{n}]", $"'{mapping.National[n]}' already means {other}");
                codes[text] = regional;
            }
        }
        return codes.ToFrozenDictionary();
    }

    private static bool Overlap(MappingRule a, MappingRule b) =>
        (a.ValidTo is null || b.ValidFrom is null || b.ValidFrom < a.ValidTo)
        && (b.ValidTo is null || a.ValidFrom is null || a.ValidFrom < b.ValidTo)
        && a.When?.Key == b.When?.Key;

    private static MappingCondition? ConditionOf(string file, string field, ConditionFile? when, Axes axes, Dictionary<string, Place> places)
    {
        if (when is null) return null;
        foreach (var place in when.Place ?? [])
            if (!places.Values.Any(p => p.Code == place || p.Region == place || p.Country == place))
                throw new PolicyException(file, field + ".place", $"'{place}' is neither a place, a region nor a country of the gazetteer");
        foreach (var kind in when.PlaceKind ?? [])
            if (!PlaceKinds.Contains(kind)) throw new PolicyException(file, field + ".placeKind", $"'{kind}' is not one of {string.Join(", ", PlaceKinds.Order())}");
        foreach (var sex in when.Sex ?? [])
            if (!axes.Sexes.Codes.ContainsKey(sex)) throw new PolicyException(file, field + ".sex", $"'{sex}' is not a code of {axes.Sexes.Reference}");
        // Conditions speak the regional codes the cell's sex and age group were mapped to, whatever the file wrote.
        foreach (var age in when.AgeGroup ?? [])
            if (!axes.Ages.Codes.ContainsKey(age)) throw new PolicyException(file, field + ".ageGroup", $"'{age}' is not a code of {axes.Ages.Reference}");
        var condition = new MappingCondition(Set(when.Place), Set(when.PlaceKind), Set(when.Sex), Set(when.AgeGroup));
        if (condition.Specificity == 0) throw new PolicyException(file, field, "a condition needs at least one of place, placeKind, sex, ageGroup");
        return condition;
    }

    private static FrozenSet<string>? Set(List<string>? values) => values is null ? null : FrozenSet.ToFrozenSet(values);

    internal static string Required(string file, string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw new PolicyException(file, field, "required") : value;

    private static string Digest(List<(string Relative, byte[] Content)> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (relative, content) in files.OrderBy(f => f.Relative, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(relative + "\n"));
            sha.AppendData(content);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}
