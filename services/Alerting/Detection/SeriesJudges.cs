using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Alerting.Detection;

/// <summary>
/// The watched levels and the judge of each series: the policy of <c>Detection</c>, or of the first override
/// (<c>Detection:Overrides</c>) matching the series' level and reporting country. Built once at start.
/// </summary>
internal sealed class SeriesJudges
{
    private readonly DetectionPolicy _policy;
    private readonly (DetectionPolicy Policy, SeriesJudge Judge) _default;
    private readonly (DetectionPolicy Policy, SeriesJudge Judge)[] _overrides;

    public SeriesJudges(DetectionPolicy policy)
    {
        _policy = policy;
        _default = (policy, new SeriesJudge(policy));
        _overrides = policy.Overrides.Select(o => o.Apply(policy)).Select(p => (p, new SeriesJudge(p))).ToArray();
        Levels = policy.EffectiveLevels;
    }

    public IReadOnlyList<SeriesLevel> Levels { get; }

    /// <summary>The longest history any judge reads (how far back a batch loads its series).</summary>
    public int HistoryWeeks => _overrides.Select(o => o.Policy.HistoryWeeks).Append(_policy.HistoryWeeks).Max();

    /// <summary>The most weeks after a changed week that any judge re-judges.</summary>
    public int ReachWeeks => _overrides.Select(o => o.Judge.ReachWeeks).Append(_default.Judge.ReachWeeks).Max();

    /// <summary>The longest lifecycle look-back (closing plus cool-down) of any policy.</summary>
    public int LifecycleWeeks => _overrides.Select(o => o.Policy.Lifecycle).Append(_policy.Lifecycle).Max(l => l.CloseAfter + l.CoolDown + 1);

    public (DetectionPolicy Policy, SeriesJudge Judge) For(SeriesKey key) =>
        _policy.OverrideIndex(key.Level, key.ReportingCountry) is var i and >= 0 ? _overrides[i] : _default;
}
