using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Alerting.Detection;

/// <summary>
/// A series' weekly totals: a week is absent until any of its cells is reported, and is an interval while some of its cells
/// are suppressed by the publishing country's agreement (what the releases disclose of them, <see cref="WeekCount"/>).
/// </summary>
internal sealed class WeeklySeries(SeriesKey key, Dictionary<DateOnly, WeekCount> totals, IReadOnlySet<DateOnly>? reported = null)
{
    public SeriesKey Key { get; } = key;
    public IReadOnlyDictionary<DateOnly, WeekCount> Totals => totals;

    /// <summary>The weeks its reporting country (any, for a series across the region) published anything in: where it lacks one, a zero.</summary>
    public IReadOnlySet<DateOnly>? Reported { get; } = reported;
}
