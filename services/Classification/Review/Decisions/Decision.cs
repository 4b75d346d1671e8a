namespace EarlyWarning.Classification.Review.Decisions;

/// <summary>
/// A steward's decision on one held value: <c>map</c> it to a code (category, age, sex, nationality), make it an
/// <c>alias</c> of a point, add it as a <c>new-point</c> of a region, or <c>keep-held</c> (not a flow category).
/// </summary>
internal sealed record Decision(string Kind, string Written, string Action, string? Code = null, string? Reason = null, NewPointDecision? Point = null)
{
    public const string KeepHeld = "keep-held";
}

/// <summary>A point to add: its region (an existing one, or a new one with its name), and what is known of it.</summary>
internal sealed record NewPointDecision(string Region, string? RegionName, string? Code, string? Name, string Kind, string? Neighbour, double? Lat, double? Lon);

/// <summary>
/// The decisions on one country's held values, applied together: one edit per policy file, one replay.
/// <paramref name="AcceptTopAbove"/> adds every held value whose top suggestion scores at least that much: only
/// when asked for explicitly. <paramref name="DryRun"/> shows the diff and writes nothing.
/// </summary>
internal sealed record DecisionsRequest(string Country, IReadOnlyList<Decision>? Decisions, double? AcceptTopAbove = null, bool DryRun = false);

/// <summary>One policy file's change: the file, its version before and after, and the unified diff.</summary>
internal sealed record PolicyFileChange(string File, string Diff);

/// <summary>What applying decisions did: the changes, the decisions taken (with any accepted automatically) and the replay.</summary>
internal sealed record DecisionsResult(bool DryRun, IReadOnlyList<PolicyFileChange> Changes, IReadOnlyList<Decision> Decisions, ReplayResult? Replay);

/// <summary>A decision refused before anything was written: the policy file and field it would break, and why.</summary>
internal sealed class DecisionRefused(string file, string field, string reason) : Exception($"{file}: {field}: {reason}")
{
    public string File { get; } = file;
    public string Field { get; } = field;
    public string Reason { get; } = reason;
}
