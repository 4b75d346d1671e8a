using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Alerting.Detection;

/// <summary>
/// A cell as it counts in the series: its finest series, week, whether it is a series total, its count (null: suppressed, then
/// between <paramref name="Lower"/> and <paramref name="Upper"/> as its release discloses) and whether it is deleted.
/// </summary>
internal readonly record struct CellState(SeriesKey Key, DateOnly Period, bool SeriesTotal, long? Count, bool Deleted, long? Lower = null, long? Upper = null)
{
    /// <summary>Sex and age group "_T" (or not given): the cell is its series' total, not a breakdown that would count its events twice.</summary>
    public static bool IsSeriesTotal(string? sex, string? ageGroup) => sex is null or "" or "_T" && ageGroup is null or "" or "_T";

    public bool Counts => SeriesTotal && !Deleted;
}

/// <summary>
/// What a change of one week of a series does to its stored total: counts added, suppressed cells, cells added (negative: taken
/// away), and the sums of the suppressed cells' bounds (<see cref="Low"/>, <see cref="High"/>; <see cref="Unbounded"/>: those
/// without an upper bound).
/// </summary>
internal readonly record struct WeekDelta(long Total, int Unknown, int Cells, long Low = 0, long High = 0, int Unbounded = 0)
{
    public bool IsZero => Total == 0 && Unknown == 0 && Cells == 0 && Low == 0 && High == 0 && Unbounded == 0;

    public static WeekDelta operator +(WeekDelta a, WeekDelta b) =>
        new(a.Total + b.Total, a.Unknown + b.Unknown, a.Cells + b.Cells, a.Low + b.Low, a.High + b.High, a.Unbounded + b.Unbounded);

    public static WeekDelta operator -(WeekDelta a) => new(-a.Total, -a.Unknown, -a.Cells, -a.Low, -a.High, -a.Unbounded);

    /// <summary>What one cell adds to its week: its count, or, suppressed, its bounds.</summary>
    public static WeekDelta Of(CellState cell) => cell.Count is { } count
        ? new WeekDelta(count, 0, 1)
        : new WeekDelta(0, 1, 1, cell.Lower ?? 0, cell.Upper ?? 0, cell.Upper is null ? 1 : 0);
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
                if (now.Counts) Add(deltas, (now.Key.At(level), now.Period), WeekDelta.Of(now));
                if (old is not { } before) continue;
                Touch(changed, before.Key.At(level), before.Period);
                if (before.Counts) Add(deltas, (before.Key.At(level), before.Period), -WeekDelta.Of(before));
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
