using System.ComponentModel.DataAnnotations;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>How API keys are checked. Bound from "Authentication:ApiKeys" and validated at start.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Authentication:ApiKeys";

    /// <summary>
    /// How long a key id the identity schema does not hold (never issued, or revoked) is refused without asking it
    /// again; zero asks every time. Short, because it is the longest a key issued under an id already tried would wait.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan UnknownKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most key ids remembered as unknown; beyond it the list starts over, so made-up ids cannot grow memory.</summary>
    [Range(1, 1_000_000)]
    public int UnknownKeyCacheCapacity { get; set; } = 10_000;
}
