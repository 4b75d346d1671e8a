using EarlyWarning.Classification.Mapping;
using EarlyWarning.Classification.Policy;
using EarlyWarning.Classification.Review.Suggestions;

namespace EarlyWarning.Evaluation.Review;

/// <summary>What the review suggested for one held-out term, and whether its first or its first three were right.</summary>
internal sealed record ScoredTerm(HeldOutTerm Term, ValueReview Review, bool Top1, bool Top3);

/// <summary>The share of held-out terms whose right answer the review ranks first, and among its first three.</summary>
internal sealed record SuggestionScores(IReadOnlyList<ScoredTerm> Terms)
{
    /// <summary>What the issue asks of categories and places together.</summary>
    public const double Top1Goal = 0.80, Top3Goal = 0.95;

    public static SuggestionScores Score(ReviewSuggester suggester, IEnumerable<HeldOutTerm> terms) =>
        new(terms.Select(t =>
        {
            var review = suggester.Review(t.Country, t.Kind, t.Written);
            if (t.Expected == HeldOutTerm.None)
            {
                var right = review.Status == ValueReview.NoGoodCandidate;
                return new ScoredTerm(t, review, right, right);
            }
            var rank = review.Suggestions.ToList().FindIndex(s => Right(t, s));
            return new ScoredTerm(t, review, rank == 0, rank is >= 0 and < 3);
        }).ToList());

    /// <summary>Terms with an answer (not "none") of the given kinds.</summary>
    public IReadOnlyList<ScoredTerm> Answerable(params string[] kinds) =>
        Terms.Where(t => t.Term.Expected != HeldOutTerm.None && (kinds.Length == 0 || kinds.Contains(t.Term.Kind))).ToList();

    /// <summary>
    /// Places whose answer the policy can know: an existing point, or a new point in a region the spelling names. A
    /// locality of an unnamed region needs a gazetteer of localities the policy does not have.
    /// </summary>
    public IReadOnlyList<ScoredTerm> KnowablePlaces(RegionalPolicy policy) => Answerable(Classifier.PlaceKind)
        .Where(t => !t.Term.Expected.StartsWith(HeldOutTerm.NewPrefix, StringComparison.Ordinal)
            || policy.Places.Any(p => p.Country == t.Term.Country && p.Region == t.Term.Expected[HeldOutTerm.NewPrefix.Length..]
                && NationalText.Normalize(t.Term.Written).Contains(NationalText.Normalize(p.RegionName), StringComparison.Ordinal)))
        .ToList();

    public static double Share(IReadOnlyList<ScoredTerm> terms, Func<ScoredTerm, bool> right) => terms.Count == 0 ? 0 : (double)terms.Count(right) / terms.Count;

    private static bool Right(HeldOutTerm term, Suggestion s)
    {
        if (!term.Expected.StartsWith(HeldOutTerm.NewPrefix, StringComparison.Ordinal)) return s.Action != Suggestion.NewPoint && s.Code == term.Expected;
        var region = term.Expected[HeldOutTerm.NewPrefix.Length..];
        return s.Action == Suggestion.NewPoint && (region.Length == 0 || s.Code == region);
    }
}
