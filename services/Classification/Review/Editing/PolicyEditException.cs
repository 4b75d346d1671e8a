namespace EarlyWarning.Classification.Review.Editing;

/// <summary>A policy file cannot take the edit as asked. The field is the YAML path the edit aimed at, so the steward knows what to fix.</summary>
internal sealed class PolicyEditException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;
    public string Reason { get; } = reason;
}
