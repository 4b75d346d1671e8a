using System.Collections.Frozen;
using EarlyWarning.Classification.Policy;

namespace EarlyWarning.Classification.Review.Suggestions;

/// <summary>
/// policy/review/lexicon.yaml: the words national files use, as the review ranks suggestions by them. Equivalent
/// words share one concept; noise words weigh little; abbreviations expand; place words tell a place's kind.
/// </summary>
internal sealed class ReviewLexicon
{
    public const string File = "review/lexicon.yaml";
    public static readonly ReviewLexicon Empty = new(FrozenDictionary<string, string>.Empty, FrozenSet<string>.Empty,
        FrozenDictionary<string, string>.Empty, FrozenDictionary<string, string>.Empty);

    private readonly FrozenDictionary<string, string> _concepts;

    private ReviewLexicon(FrozenDictionary<string, string> concepts, FrozenSet<string> noise, FrozenDictionary<string, string> abbreviations,
        FrozenDictionary<string, string> placeKinds)
    {
        _concepts = concepts;
        Noise = noise;
        Abbreviations = abbreviations;
        _expansions = abbreviations.Select(a => (a.Key, Terms.Words(a.Value).ToArray())).OrderByDescending(a => a.Item2.Length).ToArray();
        PlaceKinds = placeKinds;
    }

    /// <summary>Concepts (stems) that weigh little in a comparison.</summary>
    public FrozenSet<string> Noise { get; }

    /// <summary>Normalized abbreviation to its expansion.</summary>
    public FrozenDictionary<string, string> Abbreviations { get; }

    /// <summary>Stem of a place word to the kind of place it names.</summary>
    public FrozenDictionary<string, string> PlaceKinds { get; }

    /// <summary>The concept of a word: the first word of its group of equivalents, or its own stem.</summary>
    public string Concept(string word)
    {
        var stem = Terms.Stem(word);
        return _concepts.GetValueOrDefault(stem, stem);
    }

    /// <summary>The concepts of a text's content words, abbreviations expanded.</summary>
    /// <remarks>An abbreviation and its expansion are one concept, so that "CEBAF" and "Centro Binacional de Atención en
    /// Frontera" match each other without the expansion's many words outweighing the name beside it.</remarks>
    public IEnumerable<string> Concepts(string text)
    {
        var words = Terms.Words(text).ToList();
        foreach (var (abbreviation, expansion) in _expansions)
            for (var i = 0; i + expansion.Length <= words.Count; i++)
                if (words.Skip(i).Take(expansion.Length).SequenceEqual(expansion))
                {
                    words.RemoveRange(i, expansion.Length);
                    words.Insert(i, abbreviation);
                }
        return words.Select(Concept);
    }

    private (string Abbreviation, string[] Expansion)[] _expansions = [];

    public static ReviewLexicon Load(string file, LexiconFile model)
    {
        if (model.Version is not > 0) throw new PolicyException(file, "version", "a positive whole number is required");
        var concepts = new Dictionary<string, string>();
        for (var g = 0; g < (model.Equivalents?.Count ?? 0); g++)
        {
            var group = model.Equivalents![g];
            if (group is not { Count: >= 2 }) throw new PolicyException(file, $"equivalents[{g}]", "a group needs at least two words");
            var concept = Terms.Stem(Single(file, $"equivalents[{g}][0]", group[0]));
            for (var w = 0; w < group.Count; w++)
            {
                var stem = Terms.Stem(Single(file, $"equivalents[{g}][{w}]", group[w]));
                if (concepts.TryGetValue(stem, out var other) && other != concept)
                    throw new PolicyException(file, $"equivalents[{g}][{w}]", $"'{group[w]}' is already in the group of '{other}'");
                concepts[stem] = concept;
            }
        }
        var noise = new HashSet<string>();
        for (var n = 0; n < (model.Noise?.Count ?? 0); n++)
        {
            var stem = Terms.Stem(Single(file, $"noise[{n}]", model.Noise![n]));
            if (concepts.ContainsKey(stem)) throw new PolicyException(file, $"noise[{n}]", $"'{model.Noise[n]}' is also a word of equivalents");
            noise.Add(stem);
        }
        var abbreviations = new Dictionary<string, string>();
        foreach (var (abbreviation, expansion) in model.Abbreviations ?? [])
        {
            var key = NationalText.Normalize(abbreviation);
            if (key.Length == 0 || key.Contains(' ')) throw new PolicyException(file, $"abbreviations.{abbreviation}", "an abbreviation is one word");
            if (Terms.Words(expansion ?? "").Count() < 2) throw new PolicyException(file, $"abbreviations.{abbreviation}", "the expansion needs at least two words");
            abbreviations[key] = expansion!;
        }
        var kinds = new Dictionary<string, string>();
        foreach (var (kind, words) in model.PlaceWords ?? [])
        {
            if (!PolicyLoader.PlaceKinds.Contains(kind)) throw new PolicyException(file, $"placeWords.{kind}", $"'{kind}' is not one of {string.Join(", ", PolicyLoader.PlaceKinds.Order())}");
            foreach (var word in words ?? [])
                foreach (var w in Terms.Words(word))
                    kinds.TryAdd(Terms.Stem(w), kind);
        }
        return new ReviewLexicon(concepts.ToFrozenDictionary(), noise.ToFrozenSet(), abbreviations.ToFrozenDictionary(), kinds.ToFrozenDictionary());
    }

    private static string Single(string file, string field, string? word)
    {
        var words = Terms.Words(word ?? "").ToList();
        return words.Count == 1 ? words[0] : throw new PolicyException(file, field, $"'{word}' must be one word (not a function word)");
    }
}

internal sealed class LexiconFile
{
    public int? Version { get; set; }
    public List<List<string>>? Equivalents { get; set; }
    public List<string>? Noise { get; set; }
    public Dictionary<string, string>? Abbreviations { get; set; }
    public Dictionary<string, List<string>>? PlaceWords { get; set; }
}
