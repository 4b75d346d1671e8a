namespace EarlyWarning.Detection.Surveillance;

/// <summary>
/// One surge of a series: from its first week above the bound to its closing. While it lasts, every new
/// week above the bound is part of it (an update of its alert, not a new alert).
/// </summary>
/// <param name="ClosedWeek">The week at which it had been under the bound for <see cref="LifecycleRules.CloseAfter"/> judged weeks; null while it lasts.</param>
/// <param name="Peak">Its week furthest above the bound.</param>
public sealed record Episode(DateOnly Start, DateOnly LastSurgeWeek, DateOnly? ClosedWeek, int WeeksAbove, Verdict Peak, Severity Severity)
{
    public bool Closed => ClosedWeek is not null;

    /// <summary>The weeks it covers, for matching with a stored alert: to its closing, or to its last surge week while open.</summary>
    public DateOnly End => ClosedWeek ?? LastSurgeWeek;
}

/// <summary>Turns the verdicts of a series into its surges. Pure.</summary>
public static class AlertLifecycle
{
    /// <summary>
    /// The episodes of consecutive weekly verdicts (oldest first; a week absent from them is not judged). A surge
    /// week opens an episode, or reopens the last one when it closed at most <see cref="LifecycleRules.CoolDown"/>
    /// weeks before (the cool-down: one alert, not two, for a surge that dips under its bound); judged weeks under
    /// the bound count towards closing; weeks not judged neither extend nor close.
    /// </summary>
    public static List<Episode> Episodes(IEnumerable<Verdict> verdicts, LifecycleRules lifecycle, SeverityRules severity)
    {
        var episodes = new List<Episode>();
        Episode? open = null;
        var under = 0;
        foreach (var v in verdicts.OrderBy(v => v.Week))
        {
            if (v.Surge)
            {
                if (open is null && episodes.Count > 0 && episodes[^1].ClosedWeek is { } closed && v.Week.DayNumber - closed.DayNumber <= 7 * lifecycle.CoolDown)
                {
                    open = episodes[^1] with { ClosedWeek = null };
                    episodes.RemoveAt(episodes.Count - 1);
                }
                open = open is null
                    ? new Episode(v.Week, v.Week, null, 1, v, severity.Of(v.Ratio, 1))
                    : Extend(open, v, severity);
                under = 0;
            }
            else if (open is not null && v.Judged && ++under >= lifecycle.CloseAfter)
            {
                episodes.Add(open with { ClosedWeek = v.Week });
                open = null;
                under = 0;
            }
        }
        if (open is not null) episodes.Add(open);
        return episodes;
    }

    private static Episode Extend(Episode e, Verdict v, SeverityRules severity)
    {
        var peak = v.Ratio > e.Peak.Ratio ? v : e.Peak;
        var weeks = e.WeeksAbove + 1;
        return e with { LastSurgeWeek = v.Week, WeeksAbove = weeks, Peak = peak, Severity = severity.Of(peak.Ratio, weeks) };
    }
}
