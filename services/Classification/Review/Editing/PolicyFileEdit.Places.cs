using EarlyWarning.Classification.Policy;
using static EarlyWarning.Classification.Review.Editing.YamlEdits;
using static EarlyWarning.Classification.Review.Editing.YamlLines;
using static EarlyWarning.Classification.Review.Editing.YamlScalars;

namespace EarlyWarning.Classification.Review.Editing;

/// <summary>Edits of a gazetteer, policy/places/&lt;ISO3&gt;.yaml.</summary>
internal static partial class PolicyFileEdit
{
    /// <summary>Adds another written name of the place <paramref name="pointCode"/>.</summary>
    public static string AddAlias(string text, string pointCode, string alias, string note)
    {
        Code("pointCode", pointCode);
        Term("alias", alias);
        OneLine("note", note, required: false);
        var root = YamlSpans.Parse(text);
        var points = PointsOf(root);
        var point = points.FirstOrDefault(p => p.ScalarOf("code") == pointCode) ?? throw new PolicyEditException("regions", $"no point has the code '{pointCode}'");
        NameUnused(points, alias);
        return Finish(SequenceAt(point, "aliases") is { } aliases
            ? AppendToSequence(text, aliases, Scalar(alias))
            : AddEntry(text, point, "aliases", $"[{Scalar(alias)}]"), note);
    }

    /// <summary>
    /// Adds a place to the region <paramref name="regionCode"/>, written as its siblings are (a one-line flow mapping
    /// when they are one); adds the region at the end when it is missing and <paramref name="regionName"/> is given.
    /// </summary>
    public static string AddPoint(string text, string regionCode, string? regionName, NewPoint point, string note)
    {
        Code("regionCode", regionCode);
        if (regionName is not null) OneLine("regionName", regionName);
        OneLine("note", note, required: false);
        var root = YamlSpans.Parse(text);
        var country = root.ScalarOf("country") ?? throw new PolicyEditException("country", "missing");
        var fields = PointFields(country, point);
        var regions = SequenceAt(root, "regions") ?? throw new PolicyEditException("regions", "missing");
        var points = PointsOf(root);
        if (points.FirstOrDefault(p => p.ScalarOf("code") == point.Code) is { } taken)
            throw new PolicyEditException(taken.Path + ".code", $"'{point.Code}' is listed already");
        foreach (var name in point.Aliases.Prepend(point.Name)) NameUnused(points, name);

        var regionItems = regions.Items.Select(MappingOf).ToList();
        if (regionItems.FirstOrDefault(r => r.ScalarOf("code") == regionCode) is { } region)
        {
            var siblings = SequenceAt(region, "points") ?? throw new PolicyEditException(region.Path + ".points", "missing");
            return Finish(siblings.Flow || siblings.Items[^1] is MappingSpan { Flow: true }
                ? AppendToSequence(text, siblings, "{" + string.Join(", ", fields) + "}")
                : AppendItem(text, siblings, fields), note);
        }
        if (regionName is null) throw new PolicyEditException("regions", $"no region has the code '{regionCode}'; give its name to add it");

        // Laid out as the last region with block points is, or as the repository's files are when none is.
        var (pointsDash, pointKeys, flow) = (2, 2, true);
        if (regionItems.LastOrDefault(r => r["points"] is SequenceSpan { Flow: false }) is { } model)
        {
            var list = (SequenceSpan)model["points"]!;
            pointsDash = Column(text, list.Start) - Column(text, model.Start);
            flow = list.Items[^1] is not MappingSpan { Flow: false };
            if (!flow) pointKeys = KeyOffset(text, list, (MappingSpan)list.Items[^1]);
        }
        var pointLines = flow ? ItemLines(["{" + string.Join(", ", fields) + "}"], pointsDash, 2) : ItemLines(fields, pointsDash, pointKeys);
        return Finish(AppendItem(text, regions, ["code: " + Scalar(regionCode), "name: " + Scalar(regionName), "points:", .. pointLines]), note);
    }

    private static List<MappingSpan> PointsOf(MappingSpan root) =>
        (SequenceAt(root, "regions")?.Items ?? [])
        .Select(MappingOf)
        .SelectMany(r => SequenceAt(r, "points")?.Items ?? [])
        .Select(MappingOf)
        .ToList();

    /// <summary>Refuses a name that already names a point of the file: the loader finds places by code, name and alias alike.</summary>
    private static void NameUnused(List<MappingSpan> points, string name)
    {
        var key = NationalText.Normalize(name);
        foreach (var point in points)
        {
            IEnumerable<ScalarSpan> names = [.. new[] { point["code"], point["name"] }.OfType<ScalarSpan>(), .. (SequenceAt(point, "aliases")?.Items ?? []).OfType<ScalarSpan>()];
            if (names.FirstOrDefault(n => NationalText.Normalize(n.Value) == key) is { } same)
                throw new PolicyEditException(same.Path, $"'{same.Value}' already names {point.ScalarOf("code")}");
        }
    }

    private static List<string> PointFields(string country, NewPoint point)
    {
        Code("code", point.Code);
        if (!point.Code.StartsWith(country + "-", StringComparison.Ordinal) || point.Code != point.Code.ToUpperInvariant())
            throw new PolicyEditException("code", $"'{point.Code}' must be upper case and start with '{country}-'");
        Term("name", point.Name);
        if (!PolicyLoader.PlaceKinds.Contains(point.Kind ?? ""))
            throw new PolicyEditException("kind", $"'{point.Kind}' is not one of {string.Join(", ", PolicyLoader.PlaceKinds.Order())}");
        if (point.Neighbour is not null) Code("neighbour", point.Neighbour);
        if (point.Lat is { } lat && !(lat is >= -90 and <= 90)) throw new PolicyEditException("lat", "a latitude between -90 and 90 is required");
        if (point.Lon is { } lon && !(lon is >= -180 and <= 180)) throw new PolicyEditException("lon", "a longitude between -180 and 180 is required");
        foreach (var alias in point.Aliases ?? []) Term("aliases", alias);

        var fields = new List<string> { "code: " + Scalar(point.Code), "name: " + Scalar(point.Name), "kind: " + Scalar(point.Kind!) };
        if (point.Neighbour is not null) fields.Add("neighbour: " + Scalar(point.Neighbour));
        if (point.Lat is { } latitude) fields.Add("lat: " + Number(latitude));
        if (point.Lon is { } longitude) fields.Add("lon: " + Number(longitude));
        if (point.Aliases is { Count: > 0 }) fields.Add("aliases: [" + string.Join(", ", point.Aliases.Select(Scalar)) + "]");
        return fields;
    }
}
