using System.Collections.Frozen;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>A place of the gazetteer (policy/places): what a CAP area names and where its circle is.</summary>
internal sealed record DeliveryPlace(string Code, string Name, string Country, string Region, string RegionName, string Kind, string? Neighbour, double Lat, double Lon);

/// <summary>Names in the three languages alerts are written in.</summary>
internal sealed record Labels(string En, string Es, string Pt)
{
    public string In(string language) => language switch { "es" => Es, "pt" => Pt, _ => En };
}

/// <summary>
/// What delivery reads from policy/: the places (names, region, neighbour, coordinates) and the labels of the
/// regional categories and of countries in English, Spanish and Portuguese. Loaded and checked at start-up: an
/// invalid file stops the service with a message naming the file and the field.
/// </summary>
internal sealed class DeliveryPolicy
{
    public static readonly string[] Languages = ["es", "pt", "en"];

    public required FrozenDictionary<string, DeliveryPlace> Places { get; init; }
    public required FrozenDictionary<string, Labels> Categories { get; init; }
    public required FrozenDictionary<string, Labels> Countries { get; init; }

    public DeliveryPlace? Place(string code) => Places.GetValueOrDefault(code);

    public string Category(string code, string language) => Categories.TryGetValue(code, out var l) ? l.In(language) : code;

    public string Country(string code, string language) => Countries.TryGetValue(code, out var l) ? l.In(language) : code;

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    public static DeliveryPolicy Load(string directory)
    {
        var categories = LabelsOf(directory, Path.Combine("codelists", "CL_MIGRANT_CATEGORY.yaml"));
        var countries = LabelsOf(directory, Path.Combine("codelists", "CL_AREA.yaml"));
        var places = new Dictionary<string, DeliveryPlace>(StringComparer.Ordinal);
        var folder = Path.Combine(directory, "places");
        if (!Directory.Exists(folder)) throw new DeliveryPolicyException("places", "folder", "missing");
        foreach (var path in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var file = Path.GetRelativePath(directory, path);
            var content = Read<PlacesYaml>(file, path);
            var country = content.Country ?? throw new DeliveryPolicyException(file, "country", "required");
            if (!countries.ContainsKey(country)) throw new DeliveryPolicyException(file, "country", $"'{country}' is not a code of CL_AREA");
            for (var r = 0; r < (content.Regions?.Count ?? 0); r++)
            {
                var region = content.Regions![r];
                var regionCode = region.Code ?? throw new DeliveryPolicyException(file, $"regions[{r}].code", "required");
                var regionName = region.Name ?? throw new DeliveryPolicyException(file, $"regions[{r}].name", "required");
                for (var p = 0; p < (region.Points?.Count ?? 0); p++)
                {
                    var point = region.Points![p];
                    var field = $"regions[{r}].points[{p}]";
                    var code = point.Code ?? throw new DeliveryPolicyException(file, field + ".code", "required");
                    // A point a steward added from a national spelling may not have coordinates yet: both or neither.
                    if (point.Lat is null != point.Lon is null) throw new DeliveryPolicyException(file, field + ".lat", "lat and lon go together");
                    if (point.Lat is not (null or >= -90 and <= 90)) throw new DeliveryPolicyException(file, field + ".lat", "a latitude between -90 and 90 is required");
                    if (point.Lon is not (null or >= -180 and <= 180)) throw new DeliveryPolicyException(file, field + ".lon", "a longitude between -180 and 180 is required");
                    var place = new DeliveryPlace(code, point.Name ?? throw new DeliveryPolicyException(file, field + ".name", "required"), country,
                        regionCode, regionName, point.Kind ?? throw new DeliveryPolicyException(file, field + ".kind", "required"), point.Neighbour,
                        point.Lat ?? double.NaN, point.Lon ?? double.NaN);
                    if (!places.TryAdd(code, place)) throw new DeliveryPolicyException(file, field + ".code", $"'{code}' is listed twice");
                }
            }
        }
        return new DeliveryPolicy { Places = places.ToFrozenDictionary(), Categories = categories, Countries = countries };
    }

    /// <summary>The folder configured, or the nearest policy/ above the service's binaries (as Classification finds it).</summary>
    public static string ResolveDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "policy", "places"))) return Path.Combine(dir.FullName, "policy");
        throw new DeliveryPolicyException("policy", "Delivery__PolicyDirectory", $"no policy/places folder above {AppContext.BaseDirectory}; set the option");
    }

    private static FrozenDictionary<string, Labels> LabelsOf(string directory, string file)
    {
        var list = Read<CodeListYaml>(file, Path.Combine(directory, file));
        var labels = new Dictionary<string, Labels>(StringComparer.Ordinal);
        for (var i = 0; i < (list.Codes?.Count ?? 0); i++)
        {
            var code = list.Codes![i];
            var id = code.Id ?? throw new DeliveryPolicyException(file, $"codes[{i}].id", "required");
            var name = code.Name ?? throw new DeliveryPolicyException(file, $"codes[{id}].name", "required");
            foreach (var (language, text) in new[] { ("en", name.En), ("es", name.Es), ("pt", name.Pt) })
                if (string.IsNullOrWhiteSpace(text)) throw new DeliveryPolicyException(file, $"codes[{id}].name.{language}", "required");
            labels[id] = new Labels(name.En!, name.Es!, name.Pt!);
        }
        if (labels.Count == 0) throw new DeliveryPolicyException(file, "codes", "at least one code is required");
        return labels.ToFrozenDictionary();
    }

    private static T Read<T>(string file, string path)
    {
        if (!File.Exists(path)) throw new DeliveryPolicyException(file, "file", "missing");
        try
        {
            return Yaml.Deserialize<T>(File.ReadAllText(path)) ?? throw new DeliveryPolicyException(file, "file", "empty");
        }
        catch (YamlException e)
        {
            throw new DeliveryPolicyException(file, $"line {e.Start.Line}", e.InnerException?.Message ?? e.Message);
        }
    }

    private sealed class CodeListYaml { public List<CodeYaml>? Codes { get; set; } }
    private sealed class CodeYaml { public string? Id { get; set; } public NameYaml? Name { get; set; } }
    private sealed class NameYaml { public string? En { get; set; } public string? Es { get; set; } public string? Pt { get; set; } }
    private sealed class PlacesYaml { public string? Country { get; set; } public List<RegionYaml>? Regions { get; set; } }
    private sealed class RegionYaml { public string? Code { get; set; } public string? Name { get; set; } public List<PointYaml>? Points { get; set; } }
    private sealed class PointYaml
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? Kind { get; set; }
        public string? Neighbour { get; set; }
        public double? Lat { get; set; }
        public double? Lon { get; set; }
    }
}

/// <summary>An invalid policy file, naming the file and the field.</summary>
internal sealed class DeliveryPolicyException(string file, string field, string problem) : Exception($"{file}: {field}: {problem}");
