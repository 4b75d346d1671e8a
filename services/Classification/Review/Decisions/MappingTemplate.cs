using System.Globalization;
using System.Text;
using EarlyWarning.Classification.Policy;
using YamlDotNet.RepresentationModel;

namespace EarlyWarning.Classification.Review.Decisions;

/// <summary>
/// The first mapping table of a country that joins: the code lists' own labels (en, es, pt) as its writings, and the
/// age bands its agreement publishes. A steward then adds the country's own words through the review.
/// </summary>
internal static class MappingTemplate
{
    public static string Write(RegionalPolicy policy, string country, string policyDirectory, DateOnly validFrom)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            # {country}: started from the template (the code lists' own labels and the bands the agreement publishes).
            # Add the country's own writings through the review (earlywarning-admin review), which keeps this layout.
            country: {country}
            version: 1
            validFrom: {validFrom:yyyy-MM-dd}
            sexes:

            """);
        foreach (var code in policy.SexCodes.Codes.Values.OrderBy(c => c.Id, StringComparer.Ordinal))
            Entry(text, code.Id, Labels(code));
        text.Append("\n# The bands the agreement publishes (they are also understood without this table), and the code list's labels.\nages:\n");
        var bands = AgreementBands(policyDirectory, country);
        foreach (var code in policy.AgeCodes.Codes.Values.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            var band = AgeBand.OfCode(code.Id);
            Entry(text, code.Id, bands.Where(b => AgeBand.OfPublished(b) == band && code.Id != RegionalPolicy.Total).Concat(Labels(code)));
        }
        text.Append("\nrules:\n");
        foreach (var code in policy.Categories.Codes.Values)
            Entry(text, code.Id, Labels(code));
        return text.ToString();
    }

    /// <summary>The ageBands of the country's agreement, or of the regional default.</summary>
    private static IReadOnlyList<string> AgreementBands(string policyDirectory, string country)
    {
        var path = new[] { $"{country}.yaml", "default.yaml" }.Select(f => Path.Combine(policyDirectory, "agreements", f)).FirstOrDefault(File.Exists);
        if (path is null) return [];
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path)) yaml.Load(reader);
        return yaml.Documents is [var document, ..] && document.RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("generalization"), out var generalization) && generalization is YamlMappingNode g
            && g.Children.TryGetValue(new YamlScalarNode("ageBands"), out var bands) && bands is YamlSequenceNode list
            ? list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").Where(v => v.Length > 0).ToList()
            : [];
    }

    private static IEnumerable<string> Labels(RegionalCode code) => [code.NameEs, code.NamePt, code.NameEn];

    private static void Entry(StringBuilder text, string code, IEnumerable<string> writings)
    {
        var distinct = writings.DistinctBy(NationalText.Normalize).ToList();
        if (distinct.Count == 0) return;
        text.Append(CultureInfo.InvariantCulture, $"  - regional: {code}\n    national: [{string.Join(", ", distinct.Select(Editing.YamlScalars.Quoted))}]\n");
    }

}
