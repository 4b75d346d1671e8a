namespace EarlyWarning.Detection.Surveillance;

/// <summary>
/// Detection settings for some levels and reporting countries (<c>Detection:Overrides</c>). Apart from
/// <see cref="Levels"/> and <see cref="Countries"/> its keys are those of the <c>Detection</c> section itself
/// (and of the backtest's <c>--config</c> file): a setting it gives replaces the section's, one it leaves out
/// keeps the section's. <see cref="Detectors"/> replaces the whole list; <see cref="Lifecycle"/> and
/// <see cref="Severity"/> replace their whole group (what they leave out takes its default).
/// </summary>
public sealed class DetectionOverride
{
    /// <summary>Level names it applies to (any spelling <see cref="SeriesLevel.TryParse"/> reads); empty: every level.</summary>
    public List<string> Levels { get; set; } = [];

    /// <summary>Reporting countries it applies to (ISO 3166-1 alpha-3); empty: every country, and the levels summed over the region.</summary>
    public List<string> Countries { get; set; } = [];

    /// <summary>How <see cref="Countries"/> (and the backtest's <c>--country</c>) name a reporting country: ISO 3166-1 alpha-3, in capitals.</summary>
    public static bool IsCountryCode(string? code) => code is { Length: 3 } && code.All(char.IsAsciiLetterUpper);

    public long? MinimumCount { get; set; }
    public double? MinimumRatio { get; set; }
    public int? HistoryWeeks { get; set; }
    public CensoredWeeks? CensoredWeeks { get; set; }
    public List<DetectorRule> Detectors { get; set; } = [];
    public LifecycleRules? Lifecycle { get; set; }
    public SeverityRules? Severity { get; set; }

    /// <summary>
    /// Whether it applies to the series of <paramref name="level"/> in <paramref name="country"/> (null for a level
    /// summed over the region, which only an override without countries reaches).
    /// </summary>
    public bool Matches(SeriesLevel level, string? country)
    {
        if (Levels.Count > 0 && !Levels.Any(n => SeriesLevel.TryParse(n, out var l, out _) && l == level)) return false;
        if (Countries.Count == 0) return true;
        return country is not null && Countries.Contains(country, StringComparer.Ordinal);
    }

    /// <summary>The base policy with the settings this override gives in their place (levels and overrides stay the base's).</summary>
    public DetectionPolicy Apply(DetectionPolicy basePolicy) => new()
    {
        MinimumCount = MinimumCount ?? basePolicy.MinimumCount,
        MinimumRatio = MinimumRatio ?? basePolicy.MinimumRatio,
        HistoryWeeks = HistoryWeeks ?? basePolicy.HistoryWeeks,
        CensoredWeeks = CensoredWeeks ?? basePolicy.CensoredWeeks,
        Detectors = Detectors.Count > 0 ? Detectors : basePolicy.Detectors,
        Lifecycle = Lifecycle ?? basePolicy.Lifecycle,
        Severity = Severity ?? basePolicy.Severity,
        Levels = basePolicy.Levels,
    };
}
