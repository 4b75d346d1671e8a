using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Alerting.Detection;

/// <summary>
/// A series' weekly totals: a week is absent until any of its cells is reported, and is an interval while some of its cells
/// are suppressed by the publishing country's agreement (what the releases disclose of them, <see cref="WeekCount"/>).
/// </summary>
/// <param name="byCountry">For a series across the region: the weeks each reporting country published anything in.</param>
internal sealed class WeeklySeries(SeriesKey key, Dictionary<DateOnly, WeekCount> totals, IReadOnlySet<DateOnly>? reported = null,
    IReadOnlyDictionary<string, HashSet<DateOnly>>? byCountry = null)
{
    /// <summary>How far back a country's reporting makes its week of a series across the region awaited.</summary>
    private const int AwaitedAfter = 4;

    public SeriesKey Key { get; } = key;
    public IReadOnlyDictionary<DateOnly, WeekCount> Totals => totals;

    /// <summary>The weeks its reporting country (any, for a series across the region) published anything in: where it lacks one, a zero.</summary>
    public IReadOnlySet<DateOnly>? Reported { get; } = reported;

    /// <summary>
    /// For a series across the region, the countries that reported in the weeks before <paramref name="week"/> but not in it yet:
    /// countries publish at their own pace, and a sum judged before one of them is in could raise an alert that its data withdraw.
    /// </summary>
    public List<string> Awaited(DateOnly week)
    {
        var awaited = new List<string>();
        if (byCountry is null) return awaited;
        foreach (var (country, weeks) in byCountry)
        {
            if (weeks.Contains(week)) continue;
            for (var back = 1; back <= AwaitedAfter; back++)
                if (weeks.Contains(week.AddDays(-7 * back))) { awaited.Add(country); break; }
        }
        awaited.Sort(StringComparer.Ordinal);
        return awaited;
    }
}
