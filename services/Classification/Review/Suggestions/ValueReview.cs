namespace EarlyWarning.Classification.Review.Suggestions;

/// <summary>Why a candidate is suggested: which writing matched (and where it is written), and how.</summary>
public sealed record Evidence(string Source, string Matched, string How);

/// <summary>
/// One candidate for a held value: map it to <see cref="Code"/> (a category, age group, sex or nationality), make it an
/// alias of the point <see cref="Code"/>, or add it as a new point in the region <see cref="Code"/>.
/// </summary>
public sealed record Suggestion(string Action, string Code, string Label, double Score, IReadOnlyList<Evidence> Evidence)
{
    public const string Map = "map", Alias = "alias", NewPoint = "new-point";

    /// <summary>The mapping table rule a category would join (the country's own rule the evidence came from); null: the code's plain rule.</summary>
    public int? Rule { get; init; }

    /// <summary>New points only: the kind the spelling suggests.</summary>
    public string? PlaceKind { get; init; }
}

/// <summary>
/// What the review says of one held value: <see cref="Suggested"/> (the top candidate is a good one),
/// <see cref="NoGoodCandidate"/>, <see cref="HeldOnPurpose"/> (a rule's dates or conditions, or a steward's decision)
/// or <see cref="MappedNow"/> (the policy in force maps it: a replay releases the cells).
/// </summary>
public sealed record ValueReview(string Status, string? Why, IReadOnlyList<Suggestion> Suggestions)
{
    public const string Suggested = "suggested", NoGoodCandidate = "no-good-candidate", HeldOnPurpose = "held-on-purpose", MappedNow = "mapped-now";
}
