using EarlyWarning.Contracts;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// A border point's series sums finest series that a release spreads over several messages: it is judged once every
/// message of the release is in, never on part of it (where a week could look like a surge the rest then removes).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ReleaseCompletenessTests(SystemFixture system)
{
    private const string ClassificationEndpoint = "classification-observations-anonymized";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_border_point_is_judged_only_once_every_message_of_its_release_is_in()
    {
        var submissionId = Guid.NewGuid();
        var point = SyntheticSubmission.NewBorderPoint();
        var harmonizedPoint = "CHL-" + point.ToUpperInvariant().Replace(' ', '-');
        const string BorderPointVerdicts =
            "SELECT count(*) FROM alerting.judgements WHERE level = 'country+borderPoint' AND reporting_country = 'CHL' AND border_point = @p";

        await system.SendAsync(ClassificationEndpoint, Message(submissionId, point, "venezolana", batchNumber: 1), Guid.NewGuid());

        // The finest series of the first message are judged with it; the border point waits for the second message.
        Assert.Equal(12, await system.WaitForCountAsync(
            "SELECT count(*) FROM alerting.judgements WHERE level = 'country+borderPoint+nationality+category' AND border_point = @p", 12, Patience,
            ("p", harmonizedPoint)));
        await Task.Delay(TimeSpan.FromSeconds(2)); // four passes of the judging pass
        Assert.Equal(0, await system.ScalarAsync(BorderPointVerdicts, ("p", harmonizedPoint)));
        Assert.Equal(12, await system.ScalarAsync(
            "SELECT count(*) FROM alerting.wide_judging_due WHERE level = 'country+borderPoint' AND border_point = @p AND submission_id = @id",
            ("p", harmonizedPoint), ("id", submissionId)));

        await system.SendAsync(ClassificationEndpoint, Message(submissionId, point, "haitiana", batchNumber: 2), Guid.NewGuid());

        Assert.Equal(12, await system.WaitForCountAsync(BorderPointVerdicts, 12, Patience, ("p", harmonizedPoint)));
        Assert.Equal(0, await system.ScalarAsync("SELECT count(*) FROM alerting.wide_judging_due WHERE border_point = @p", ("p", harmonizedPoint)));
        // Judged on the whole release: each week's total is both nationalities'.
        Assert.Equal(2 * Enumerable.Range(0, 12).Sum(w => 20 + w), await system.ScalarAsync(
            "SELECT sum(observed) FROM alerting.judgements WHERE level = 'country+borderPoint' AND border_point = @p", ("p", harmonizedPoint)));
    }

    /// <summary>One of the release's two messages: twelve weekly series totals of one nationality at the border point.</summary>
    private static ObservationsAnonymized Message(Guid submissionId, string point, string nationality, int batchNumber) =>
        new(submissionId, "CHL", batchNumber, 2, DateTimeOffset.UtcNow,
            Enumerable.Range(0, 12).Select(w => new AnonymizedObservation(batchNumber * 100 + w, SyntheticSubmission.FirstWeek.AddDays(7 * w), point,
                nationality, "Ingreso regular", null, null, 20 + w, false)).ToList());
}
