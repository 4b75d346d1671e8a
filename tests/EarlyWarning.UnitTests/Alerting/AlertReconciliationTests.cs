using EarlyWarning.Alerting.Alerts;
using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.UnitTests.Alerting;

public sealed class AlertReconciliationTests
{
    private static readonly DateOnly Week0 = new(2025, 1, 6);
    private static DateOnly W(int i) => Week0.AddDays(7 * i);

    private static Episode Surge(int start, int last, int? closed = null) =>
        new(W(start), W(last), closed is { } c ? W(c) : null, last - start + 1,
            new Verdict(W(start), 100, 30, 50, "ears-c2", true, 0.9999, null), Severity.Moderate);

    private static StoredAlert Alert(Episode e, string state = "active", int revision = 1) =>
        new(Guid.NewGuid(), e.Start, e.LastSurgeWeek, e.ClosedWeek, e.WeeksAbove, e.Peak.Week, e.Peak.Observed!.Value, e.Severity.ToString(), state, revision);

    private static List<AlertChange> Reconcile(IReadOnlyList<StoredAlert> stored, IReadOnlyList<Episode> episodes, int judgedFrom = 0) =>
        AlertReconciliation.Reconcile(stored, episodes, W(judgedFrom), alert => $"week {alert.Start:yyyy-MM-dd} is under its bound now");

    [Fact]
    public void A_new_surge_raises_an_alert()
    {
        var change = Assert.Single(Reconcile([], [Surge(3, 3)]));
        Assert.Equal(AlertChangeKind.Raise, change.Kind);
    }

    [Fact]
    public void A_surge_found_already_over_is_raised_and_closed()
    {
        Assert.Equal([AlertChangeKind.Raise, AlertChangeKind.Close], Reconcile([], [Surge(3, 4, closed: 6)]).Select(c => c.Kind));
    }

    [Fact]
    public void Another_week_of_the_surge_updates_its_alert_instead_of_raising_one()
    {
        var alert = Alert(Surge(3, 3));
        var change = Assert.Single(Reconcile([alert], [Surge(3, 4)], judgedFrom: 4));
        Assert.Equal((AlertChangeKind.Update, alert.AlertId), (change.Kind, change.Alert!.AlertId));
    }

    [Fact]
    public void Nothing_changes_when_the_surge_is_as_alerted()
    {
        Assert.Empty(Reconcile([Alert(Surge(3, 4))], [Surge(3, 4)], judgedFrom: 5));
    }

    [Fact]
    public void A_surge_that_closed_closes_its_alert()
    {
        var alert = Alert(Surge(3, 4));
        Assert.Equal(AlertChangeKind.Close, Assert.Single(Reconcile([alert], [Surge(3, 4, closed: 6)], judgedFrom: 6)).Kind);
    }

    [Fact]
    public void A_closed_alert_whose_surge_resumes_within_the_cool_down_is_updated_and_active_again()
    {
        var alert = Alert(Surge(3, 4, closed: 6), state: "closed", revision: 3);
        var change = Assert.Single(Reconcile([alert], [Surge(3, 8)], judgedFrom: 8));
        Assert.Equal((AlertChangeKind.Update, false), (change.Kind, change.Episode!.Closed));
    }

    [Fact]
    public void An_alert_whose_surge_the_revised_data_removed_is_withdrawn_with_the_reason()
    {
        var alert = Alert(Surge(3, 3));
        var change = Assert.Single(Reconcile([alert], [], judgedFrom: 3));
        Assert.Equal((AlertChangeKind.Withdraw, "week 2025-01-27 is under its bound now"), (change.Kind, change.Reason));
    }

    [Fact]
    public void A_revision_that_moves_the_start_of_a_surge_keeps_its_alert()
    {
        var alert = Alert(Surge(3, 5));
        var change = Assert.Single(Reconcile([alert], [Surge(4, 5)], judgedFrom: 3));
        Assert.Equal((AlertChangeKind.Update, alert.AlertId, W(4)), (change.Kind, change.Alert!.AlertId, change.Episode!.Start));
    }

    [Fact]
    public void A_surge_wholly_before_the_weeks_judged_again_is_history_already_dealt_with()
    {
        Assert.Empty(Reconcile([], [Surge(1, 2, closed: 4)], judgedFrom: 6));
    }
}
