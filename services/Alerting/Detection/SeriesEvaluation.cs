using EarlyWarning.Alerting.Alerts;
using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Alerting.Detection;

/// <summary>Which weeks a change of data makes to be judged again, and how far back the lifecycle must look. Pure.</summary>
internal static class SeriesEvaluation
{
    /// <summary>
    /// The changed weeks and every reported week after one of them within <paramref name="reachWeeks"/>: a changed
    /// week is part of the history of the weeks after it, so a late or revised week re-judges them. A changed
    /// week without data any more (every cell deleted) is judged too, to say so.
    /// </summary>
    public static List<DateOnly> WeeksToJudge(WeeklySeries series, IReadOnlyCollection<DateOnly> changed, int reachWeeks)
    {
        var weeks = new SortedSet<DateOnly>(changed);
        var first = changed.Min();
        var last = changed.Max().AddDays(7 * reachWeeks);
        foreach (var week in series.Totals.Keys)
            if (week > first && week <= last && changed.Any(c => c < week && week.DayNumber - c.DayNumber <= 7 * reachWeeks))
                weeks.Add(week);
        return weeks.ToList();
    }

    /// <summary>
    /// The first week whose verdict the lifecycle reads: early enough to see a surge that could still close,
    /// reopen within its cool-down, or is an alert already standing.
    /// </summary>
    public static DateOnly LifecycleFrom(DateOnly firstJudged, IEnumerable<StoredAlert> standing, LifecycleRules rules)
    {
        var from = firstJudged.AddDays(-7 * (rules.CloseAfter + rules.CoolDown + 1));
        foreach (var alert in standing) if (alert.Start < from) from = alert.Start;
        return from;
    }
}
