namespace EarlyWarning.Detection.Surveillance;

/// <summary>
/// How series are judged and alerts kept: the "Detection" section of Alerting's configuration, and the same
/// JSON the backtesting command reads (<c>--config</c>), so that a setting tried on past data can be deployed as it is.
/// </summary>
public sealed class DetectionPolicy
{
    public const string Section = "Detection";

    /// <summary>No week with fewer events than this is a surge: a jump from 1 to 4 is noise.</summary>
    public long MinimumCount { get; set; } = 10;

    /// <summary>
    /// No week is a surge unless its count is at least this many times the expected count: on large series a
    /// seasonal rise of 20% can be statistically significant for a detector without seasons, yet it is no surge.
    /// </summary>
    public double MinimumRatio { get; set; } = 2;

    /// <summary>Weeks of a series' past read to judge a week (the detectors' history is bounded by it).</summary>
    public int HistoryWeeks { get; set; } = 160;

    /// <summary>
    /// How a week of the history whose count the agreement suppressed (in part) enters the detectors: as the middle of what the
    /// release discloses of it (the default, chosen on the end-to-end evaluation, docs/detection-evaluation.md), or as missing.
    /// </summary>
    public CensoredWeeks CensoredWeeks { get; set; } = CensoredWeeks.Midpoint;

    /// <summary>Detectors by the history available, longest first; empty means <see cref="DetectorRule.Defaults"/>.</summary>
    public List<DetectorRule> Detectors { get; set; } = [];

    public LifecycleRules Lifecycle { get; set; } = new();

    public SeverityRules Severity { get; set; } = new();

    /// <summary>The aggregation levels watched (<see cref="SeriesLevel"/> names); empty means <see cref="SeriesLevel.DefaultNames"/>.</summary>
    public List<string> Levels { get; set; } = [];

    /// <summary>
    /// Settings for some levels and reporting countries: the first override whose <see cref="DetectionOverride.Levels"/>
    /// and <see cref="DetectionOverride.Countries"/> both match a series replaces the settings it gives.
    /// </summary>
    public List<DetectionOverride> Overrides { get; set; } = [];

    /// <summary>The levels in force, parsed (an invalid name is reported by <see cref="Problems"/>).</summary>
    public IReadOnlyList<SeriesLevel> EffectiveLevels =>
        (Levels.Count > 0 ? Levels : SeriesLevel.DefaultNames)
        .Select(n => SeriesLevel.TryParse(n, out var level, out _) ? level : (SeriesLevel?)null)
        .OfType<SeriesLevel>().Distinct().ToList();

    /// <summary>
    /// The policy for the series of a level in a reporting country (null for a level summed over the region):
    /// this one with the settings of the first matching override in their place.
    /// </summary>
    public DetectionPolicy For(SeriesLevel level, string? country) =>
        Overrides.FirstOrDefault(o => o.Matches(level, country)) is { } match ? match.Apply(this) : this;

    /// <summary>The index of the override that applies to a level and country, or -1 when none does.</summary>
    public int OverrideIndex(SeriesLevel level, string? country) => Overrides.FindIndex(o => o.Matches(level, country));

    /// <summary>The rules in force: the configured ones, or the defaults when none are.</summary>
    public IReadOnlyList<DetectorRule> EffectiveDetectors => Detectors.Count > 0 ? Detectors : DetectorRule.Defaults;

    /// <summary>Every problem of the policy, each naming its field; empty when it is valid.</summary>
    public List<string> Problems()
    {
        var problems = Problems(Section);
        var names = Levels.Count > 0 ? Levels : SeriesLevel.DefaultNames;
        var seen = new HashSet<SeriesLevel>();
        for (var i = 0; i < names.Count; i++)
        {
            if (!SeriesLevel.TryParse(names[i], out var level, out var problem)) problems.Add($"{Section}:Levels:{i} {problem}");
            else if (!seen.Add(level)) problems.Add($"{Section}:Levels:{i} '{names[i]}' is the level {level.Name} again");
        }
        for (var i = 0; i < Overrides.Count; i++)
        {
            var o = Overrides[i];
            var at = $"{Section}:Overrides:{i}";
            for (var j = 0; j < o.Levels.Count; j++)
            {
                if (!SeriesLevel.TryParse(o.Levels[j], out var level, out var problem)) problems.Add($"{at}:Levels:{j} {problem}");
                else if (!seen.Contains(level)) problems.Add($"{at}:Levels:{j} '{o.Levels[j]}' is not one of the levels watched ({Section}:Levels)");
            }
            for (var j = 0; j < o.Countries.Count; j++)
                if (!DetectionOverride.IsCountryCode(o.Countries[j]))
                    problems.Add($"{at}:Countries:{j} '{o.Countries[j]}' is not an ISO 3166-1 alpha-3 code in capitals");
            problems.AddRange(o.Apply(this).Problems(at));
        }
        return problems;
    }

    private List<string> Problems(string at)
    {
        var problems = new List<string>();
        if (MinimumCount < 0) problems.Add($"{at}:MinimumCount must not be negative (is {MinimumCount})");
        if (!(MinimumRatio >= 1 && MinimumRatio <= 100)) problems.Add($"{at}:MinimumRatio must lie between 1 and 100 (is {MinimumRatio})");
        if (HistoryWeeks is < 8 or > 1040) problems.Add($"{at}:HistoryWeeks must lie between 8 and 1040 (is {HistoryWeeks})");
        if (!Enum.IsDefined(CensoredWeeks)) problems.Add($"{at}:CensoredWeeks must be Midpoint or Missing (is {CensoredWeeks})");
        var rules = EffectiveDetectors;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule.MinimumHistory < 1) problems.Add($"{at}:Detectors:{i}:MinimumHistory must be at least 1 (is {rule.MinimumHistory})");
            if (rule.MinimumHistory > HistoryWeeks)
                problems.Add($"{at}:Detectors:{i}:MinimumHistory {rule.MinimumHistory} exceeds {at}:HistoryWeeks {HistoryWeeks}: the rule could never apply");
            try { rule.Create(); }
            catch (ArgumentException ex) { problems.Add($"{at}:Detectors:{i}: {ex.Message}"); }
        }
        if (Lifecycle.CloseAfter < 1) problems.Add($"{at}:Lifecycle:CloseAfter must be at least 1 (is {Lifecycle.CloseAfter})");
        if (Lifecycle.CoolDown < 0) problems.Add($"{at}:Lifecycle:CoolDown must not be negative (is {Lifecycle.CoolDown})");
        problems.AddRange(Severity.Problems().Select(p => $"{at}:Severity:{p}"));
        return problems;
    }
}

/// <summary>One line of the detector choice: from this many weeks of history on, this algorithm with these (R-named) parameters.</summary>
public sealed class DetectorRule
{
    /// <summary>Weeks of history (from the series' first reported week in reach) before the judged week that this rule needs.</summary>
    public int MinimumHistory { get; set; }

    /// <summary>One of <see cref="Detector.Algorithms"/>.</summary>
    public string Algorithm { get; set; } = "";

    /// <summary>Parameters as R's surveillance names them (b, w, alpha, noPeriods, thresholdMethod, baseline…).</summary>
    public Dictionary<string, string> Parameters { get; set; } = [];

    public Detector Create() => Detector.Create(Algorithm, Parameters);

    /// <summary>How verdicts and alerts name the detector: the algorithm, with Farrington's b (years back) since it depends on the history.</summary>
    public string Label => Parameters.TryGetValue("b", out var b) ? $"{Algorithm} b={b}" : Algorithm;

    /// <summary>
    /// Farrington flexible with Noufaily's negative-binomial threshold and a seasonal factor where one or two
    /// years of history exist (b = 2, then b = 1: R's default b = 5 would give no bound on two years of data),
    /// EARS C2 on short series, nothing below nine weeks. The alphas are chosen on the evaluation data (README).
    /// </summary>
    public static IReadOnlyList<DetectorRule> Defaults { get; } =
    [
        new() { MinimumHistory = 107, Algorithm = "farrington-flexible", Parameters = new()
        {
            ["b"] = "2", ["w"] = "3", ["noPeriods"] = "10", ["pastWeeksNotIncluded"] = "3", ["thresholdMethod"] = "nbPlugin",
            ["alpha"] = "0.001", ["trend"] = "FALSE",
        } },
        new() { MinimumHistory = 55, Algorithm = "farrington-flexible", Parameters = new()
        {
            ["b"] = "1", ["w"] = "3", ["noPeriods"] = "10", ["pastWeeksNotIncluded"] = "3", ["thresholdMethod"] = "nbPlugin",
            ["alpha"] = "0.001", ["trend"] = "FALSE",
        } },
        new() { MinimumHistory = 9, Algorithm = "ears-c2", Parameters = new() { ["alpha"] = "0.001", ["baseline"] = "7" } },
    ];
}

/// <summary>When an alert is closed and when a new surge of the same series is the old one again.</summary>
public sealed class LifecycleRules
{
    /// <summary>Consecutive judged weeks under the bound after which the alert is closed.</summary>
    public int CloseAfter { get; set; } = 2;

    /// <summary>Weeks after closing during which a new surge reopens the same alert instead of raising another.</summary>
    public int CoolDown { get; set; } = 4;
}
