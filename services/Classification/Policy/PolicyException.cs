namespace EarlyWarning.Classification.Policy;

/// <summary>A policy file is invalid. The message names the file and the field, so the reviewer knows what to fix.</summary>
internal sealed class PolicyException(string file, string field, string reason)
    : Exception($"{file}: {field}: {reason}")
{
    public string File { get; } = file;
    public string Field { get; } = field;
    public string Reason { get; } = reason;
}
