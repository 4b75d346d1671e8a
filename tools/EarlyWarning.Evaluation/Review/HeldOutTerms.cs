using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EarlyWarning.Evaluation.Review;

/// <summary>
/// One held-out national term and the answer a steward would give: a code, a point, "new:&lt;region&gt;" for a
/// point the gazetteer lacks, or "none" for a value that is no flow category or place at all.
/// </summary>
internal sealed record HeldOutTerm(string Country, string Kind, string Written, string Expected, string Source)
{
    public const string None = "none", NewPrefix = "new:";
}

/// <summary>The held-out vocabulary file (tests/vocabulary/heldout-review-terms.yaml): kept out of the mapping tables.</summary>
internal static class HeldOutTerms
{
    private sealed class TermFile
    {
        public string? Country { get; set; }
        public string? Kind { get; set; }
        public string? Written { get; set; }
        public string? Expected { get; set; }
        public string? Source { get; set; }
    }

    private sealed class TermsFile
    {
        public List<TermFile>? Terms { get; set; }
    }

    public static IReadOnlyList<HeldOutTerm> Load(string path)
    {
        var file = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
            .Deserialize<TermsFile>(File.ReadAllText(path)) ?? throw new ArgumentException($"{path} is empty");
        return (file.Terms ?? []).Select((t, i) => new HeldOutTerm(
            t.Country ?? throw new ArgumentException($"{path}: terms[{i}].country is required"),
            t.Kind ?? throw new ArgumentException($"{path}: terms[{i}].kind is required"),
            t.Written ?? throw new ArgumentException($"{path}: terms[{i}].written is required"),
            t.Expected ?? throw new ArgumentException($"{path}: terms[{i}].expected is required"),
            t.Source ?? "")).ToList();
    }
}
