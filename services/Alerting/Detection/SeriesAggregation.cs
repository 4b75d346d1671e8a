using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Alerting.Detection;

/// <summary>A cell as it counts in the series: its finest series, week, whether it is a series total, its count (null: suppressed) and whether it is deleted.</summary>
internal readonly record struct CellState(SeriesKey Key, DateOnly Period, bool SeriesTotal, long? Count, bool Deleted)
{
    /// <summary>Sex and age group "_T" (or not given): the cell is its series' total, not a breakdown that would count its events twice.</summary>
    public static bool IsSeriesTotal(string? sex, string? ageGroup) => sex is null or "" or "_T" && ageGroup is null or "" or "_T";

    public bool Counts => SeriesTotal && !Deleted;
}

/// <summary>What a change of one week of a series does to its stored total: counts added, suppressed cells and cells added (negative: taken away).</summary>
internal readonly record struct WeekDelta(long Total, int Unknown, int Cells)
{
    public bool IsZero => Total == 0 && Unknown == 0 && Cells == 0;

    public static WeekDelta operator +(WeekDelta a, WeekDelta b) => new(a.Total + b.Total, a.Unknown + b.Unknown, a.Cells + b.Cells);
}

/// <summary>
/// How stored cells that changed (a new value replacing an older one, or a first value) change the series of
/// every watched level: the deltas of their weekly totals, and the weeks of each series to judge again. Pure:
/// the totals are kept by adding deltas, so no batch sums a country's or a region's cells again.
/// </summary>
internal static class SeriesAggregation
{
    public static (Dictionary<(SeriesKey Series, DateOnly Week), WeekDelta> Deltas, Dictionary<SeriesKey, HashSet<DateOnly>> Changed) Of(
        IReadOnlyList<SeriesLevel> levels, IEnumerable<(CellState? Old, CellState New)> changes)
    {
        var deltas = new Dictionary<(SeriesKey, DateOnly), WeekDelta>();
        var changed = new Dictionary<SeriesKey, HashSet<DateOnly>>();
        foreach (var (old, now) in changes)
            foreach (var level in levels)
            {
                // A changed cell re-judges its week even when it is a breakdown (a week may have lost its total).
                Touch(changed, now.Key.At(level), now.Period);
                if (now.Counts) Add(deltas, (now.Key.At(level), now.Period), new WeekDelta(now.Count ?? 0, now.Count is null ? 1 : 0, 1));
                if (old is not { } before) continue;
                Touch(changed, before.Key.At(level), before.Period);
                if (before.Counts) Add(deltas, (before.Key.At(level), before.Period), new WeekDelta(-(before.Count ?? 0), before.Count is null ? -1 : 0, -1));
            }
        foreach (var zero in deltas.Where(d => d.Value.IsZero).Select(d => d.Key).ToList()) deltas.Remove(zero);
        return (deltas, changed);
    }

    private static void Touch(Dictionary<SeriesKey, HashSet<DateOnly>> changed, SeriesKey key, DateOnly week)
    {
        if (!changed.TryGetValue(key, out var weeks)) changed[key] = weeks = [];
        weeks.Add(week);
    }

    private static void Add(Dictionary<(SeriesKey, DateOnly), WeekDelta> deltas, (SeriesKey, DateOnly) at, WeekDelta delta) =>
        deltas[at] = deltas.GetValueOrDefault(at) + delta;
}
