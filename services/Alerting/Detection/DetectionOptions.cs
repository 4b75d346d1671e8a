using System.ComponentModel.DataAnnotations;

namespace EarlyWarning.Alerting.Detection;

/// <summary>Bound from the "Detection" section.</summary>
public sealed class DetectionOptions
{
    public const string Section = "Detection";

    /// <summary>EARS C1's alpha (R's default 0.001: z ≈ 3.09).</summary>
    [Range(1e-9, 0.5)] public double Alpha { get; set; } = 0.001;

    /// <summary>Periods in the baseline (R's default 7).</summary>
    [Range(3, 520)] public int Baseline { get; set; } = 7;

    /// <summary>No alert for a week with fewer events than this: a jump from 1 to 4 is noise, not a surge.</summary>
    [Range(0, 1_000_000)] public long MinimumCount { get; set; } = 10;
}
