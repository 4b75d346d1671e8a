using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Alerting.Alerts;

/// <summary>An alert as stored: the surge it stands for, its state and its latest revision.</summary>
internal sealed record StoredAlert(
    Guid AlertId, DateOnly Start, DateOnly LastSurgeWeek, DateOnly? ClosedWeek, int WeeksAbove, DateOnly PeakWeek, long Observed,
    string Severity, string State, int Revision)
{
    public DateOnly End => ClosedWeek ?? LastSurgeWeek;
}

internal enum AlertChangeKind { Raise, Update, Close, Withdraw }

/// <summary>What to do to one alert: raise it for a new surge, update or close it as its surge changed, or withdraw it.</summary>
internal sealed record AlertChange(AlertChangeKind Kind, StoredAlert? Alert, Episode? Episode, string? Reason);

/// <summary>
/// Compares the surges the verdicts show now with the alerts already sent for the series, and says what must
/// change. Pure, and independent of the order data arrived in: the alerts follow from the data.
/// </summary>
internal static class AlertReconciliation
{
    /// <param name="stored">The series' standing (active or closed) alerts that the judged weeks can reach.</param>
    /// <param name="episodes">The surges in the verdicts from before the first of those alerts on.</param>
    /// <param name="judgedFrom">The first week judged again: a surge wholly before it is history already dealt with.</param>
    /// <param name="reasonFor">Why an alert's surge is not in the verdicts any more, for its withdrawal.</param>
    public static List<AlertChange> Reconcile(
        IReadOnlyList<StoredAlert> stored, IReadOnlyList<Episode> episodes, DateOnly judgedFrom, Func<StoredAlert, string> reasonFor)
    {
        var changes = new List<AlertChange>();
        var unmatched = stored.OrderBy(a => a.Start).ToList();
        foreach (var episode in episodes)
        {
            // A surge is the alert whose weeks it overlaps: revised data may move its start or end, not make it another surge.
            var alert = unmatched.FirstOrDefault(a => a.Start <= episode.End && episode.Start <= a.End);
            if (alert is null)
            {
                if (episode.End < judgedFrom) continue;
                changes.Add(new AlertChange(AlertChangeKind.Raise, null, episode, null));
                // A surge found already over (history published at once) is raised and closed.
                if (episode.Closed) changes.Add(new AlertChange(AlertChangeKind.Close, null, episode, null));
                continue;
            }
            unmatched.Remove(alert);
            var wasClosed = alert.State == "closed";
            if (episode.Closed && !wasClosed)
                changes.Add(new AlertChange(AlertChangeKind.Close, alert, episode, null));
            else if (wasClosed != episode.Closed || !SameFigures(alert, episode))
                changes.Add(new AlertChange(AlertChangeKind.Update, alert, episode, null));
        }
        foreach (var alert in unmatched)
            changes.Add(new AlertChange(AlertChangeKind.Withdraw, alert, null, reasonFor(alert)));
        return changes;
    }

    private static bool SameFigures(StoredAlert a, Episode e) =>
        a.Start == e.Start && a.LastSurgeWeek == e.LastSurgeWeek && a.ClosedWeek == e.ClosedWeek && a.WeeksAbove == e.WeeksAbove
        && a.PeakWeek == e.Peak.Week && a.Observed == e.Peak.Observed && a.Severity == e.Severity.ToString();
}
