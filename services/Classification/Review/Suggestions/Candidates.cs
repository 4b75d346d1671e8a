using System.Collections.Frozen;
using EarlyWarning.Classification.Policy;

namespace EarlyWarning.Classification.Review.Suggestions;

/// <summary>A writing the policy already has for a code: a table's national writing, a code list's label, a place's name.</summary>
internal sealed record Writing(string Code, string Text, string Source, double Trust)
{
    /// <summary>The mapping table rule the writing belongs to, when it is a category of the country under review.</summary>
    public int? Rule { get; init; }
}

/// <summary>The writings of one kind of value, with the weight of each concept: rare words identify, common ones do not.</summary>
internal sealed class Candidates
{
    private readonly ReviewLexicon _lexicon;
    private readonly FrozenDictionary<string, double> _weights;
    private readonly double _unseen;
    private readonly FrozenSet<string> _light;
    private readonly (Writing Writing, string Normalized, string[] Concepts, string Initials)[] _writings;

    public Candidates(IEnumerable<Writing> writings, ReviewLexicon lexicon, IEnumerable<string>? lightConcepts = null)
    {
        _lexicon = lexicon;
        _writings = writings.Select(w => (w, NationalText.Normalize(w.Text), lexicon.Concepts(w.Text).Distinct().ToArray(), Terms.Initials(w.Text)))
            .Where(w => w.Item2.Length > 0).ToArray();
        _light = (lightConcepts ?? []).Concat(lexicon.Noise).ToFrozenSet();
        var frequency = _writings.SelectMany(w => w.Concepts).CountBy(c => c).ToDictionary();
        var n = Math.Max(1, _writings.Length);
        _weights = frequency.ToFrozenDictionary(f => f.Key, f => Math.Log(1 + (double)n / f.Value) * (_light.Contains(f.Key) ? 0.25 : 1));
        _unseen = _weights.Count == 0 ? 1 : _weights.Values.Average();
    }

    public IEnumerable<Writing> All => _writings.Select(w => w.Writing);

    public double Weight(string concept) =>
        _weights.TryGetValue(concept, out var weight) ? weight : _light.Contains(concept) ? _unseen * 0.25 : _unseen;

    /// <summary>Each writing that resembles the written text at all, with a score in 0..1 and how it matched.</summary>
    public IEnumerable<(Writing Writing, double Score, string How)> Match(string written, IReadOnlySet<string>? explained = null)
    {
        var normalized = NationalText.Normalize(written);
        var words = Terms.Words(written).ToArray();
        var concepts = _lexicon.Concepts(written).Where(c => explained is null || !explained.Contains(c)).Distinct().ToArray();
        foreach (var (writing, text, theirs, initials) in _writings)
        {
            var (score, how) = Compare(normalized, words, concepts, text, theirs, initials);
            if (score > 0.2) yield return (writing, score * writing.Trust, how);
        }
    }

    private (double Score, string How) Compare(string normalized, string[] words, string[] ours, string text, string[] theirs, string initials)
    {
        if (normalized == text) return (1, "same text (case, accents and punctuation aside)");
        if (initials.Length >= 2 && words.Length == 1 && words[0] == initials) return (0.9, $"its initials ({initials.ToUpperInvariant()})");
        if (initials.Length >= 2 && words.Contains(initials))
            ours = ours.Where(c => c != _lexicon.Concept(initials)).Concat(theirs).Distinct().ToArray();

        double matchedOurs = 0, weightOurs = 0, matchedTheirs = 0, weightTheirs = 0;
        var fuzzy = false;
        var best = new double[theirs.Length];
        foreach (var concept in ours)
        {
            var weight = Weight(concept);
            weightOurs += weight;
            var match = 0.0;
            for (var i = 0; i < theirs.Length; i++)
            {
                var m = concept == theirs[i] ? 1 : Similar(concept, theirs[i]) ? 0.8 : 0;
                if (m > match) match = m;
                if (m > best[i]) best[i] = m;
            }
            if (match is > 0 and < 1) fuzzy = true;
            matchedOurs += weight * match;
        }
        for (var i = 0; i < theirs.Length; i++)
        {
            var weight = Weight(theirs[i]);
            weightTheirs += weight;
            matchedTheirs += weight * best[i];
        }
        var (score, how) = (0.0, "");
        if (weightOurs > 0 && weightTheirs > 0)
        {
            var (coverOurs, coverTheirs) = (matchedOurs / weightOurs, matchedTheirs / weightTheirs);
            (score, how) = (coverOurs, coverTheirs) switch
            {
                ( >= 0.99, >= 0.99) => (0.97, "the same words (order, inflection or an equivalent word aside)"),
                ( >= 0.79, >= 0.79) when fuzzy => (0.9, "the same words, spelt differently"),
                (_, >= 0.79) => (0.5 + 0.45 * coverOurs, "all its words, with others added"),
                ( >= 0.79, _) => (0.4 + 0.45 * coverTheirs, "some of its words; the written text says less"),
                _ => (0.9 * (matchedOurs + matchedTheirs) / (weightOurs + weightTheirs), "words in common"),
            };
        }
        // A few letters apart is a misspelling; more is another word (deportadas is not presentadas).
        var limit = Math.Min(3, Math.Max(normalized.Length, text.Length) / 8);
        if (limit > 0 && Terms.Distance(normalized, text, limit) is var d && d <= limit)
        {
            var similarity = 0.95 * (1 - (double)d / Math.Max(normalized.Length, text.Length));
            if (similarity > score) (score, how) = (similarity, $"edit distance {d}");
        }
        return (score, how);
    }

    // Misspellings rarely touch the first letter; names that differ there are other names (Holanda, Poland).
    private static bool Similar(string a, string b) =>
        a.Length >= 5 && b.Length >= 5 && a[0] == b[0] && Terms.Distance(a, b, Math.Min(a.Length, b.Length) >= 8 ? 2 : 1) <= (Math.Min(a.Length, b.Length) >= 8 ? 2 : 1);
}
