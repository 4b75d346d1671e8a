using EarlyWarning.Contracts;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// A revised count of a series' latest week is judged from what its verdict rested on (its basis), without reading or
/// fitting the history again; a change to an earlier week sends the weeks after it back to their history.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class RevisedWeekTests(SystemFixture system)
{
    private const string Endpoint = "alerting-observations-harmonized";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string Latest =
        "FROM alerting.judgements WHERE level = 'country+borderPoint+nationality+category' AND border_point = @p AND period = @week";

    [Fact]
    public async Task A_revised_latest_week_is_decided_from_its_basis_and_a_revised_earlier_week_sends_it_back_to_its_history()
    {
        var point = "CHL-" + SyntheticSubmission.NewBorderPoint().ToUpperInvariant().Replace(' ', '-');
        var cells = Enumerable.Range(0, 21).Select(_ => Guid.NewGuid()).ToArray();
        var week = SyntheticSubmission.FirstWeek.AddDays(7 * 20);
        HarmonizedObservation Cell(int w, long count, long version) =>
            new(w + 1, SyntheticSubmission.FirstWeek.AddDays(7 * w), point, "VEN", "IRREGULAR_ENTRY", "ingreso", "_T", "_T", count)
                { CellId = cells[w], Version = version };
        ObservationsHarmonized Batch(params HarmonizedObservation[] rows) => new(Guid.NewGuid(), "CHL", 1, 1, DateTimeOffset.UtcNow, rows);
        Task<long> Observed(long count) => system.WaitForCountAsync($"SELECT count(*) {Latest} AND observed = {count}", 1, Patience, ("p", point), ("week", week));
        Task<long> Bound() => system.ScalarAsync($"SELECT round(upper_bound * 1000000)::bigint {Latest}", ("p", point), ("week", week));

        // Twenty weeks around 40, then the latest: EARS C2 judges it, and its verdict keeps what it rested on.
        await system.SendAsync(Endpoint, Batch(Enumerable.Range(0, 21).Select(w => Cell(w, w == 20 ? 42 : 40 + w % 5, 1)).ToArray()), Guid.NewGuid());
        Assert.Equal(1, await Observed(42));
        Assert.Equal(1, await system.ScalarAsync($"SELECT count(*) {Latest} AND basis IS NOT NULL AND algorithm = 'ears-c2'", ("p", point), ("week", week)));
        var bound = await Bound();

        // The kept totals of the weeks before are made fifty times larger behind the service's back: judged from its history,
        // the latest week would get a bound near 2,000; decided from its basis, it keeps the bound it had.
        await system.ScalarAsync(
            "WITH u AS (UPDATE alerting.series_weeks SET total = total * 50 WHERE border_point = @p AND period < @week RETURNING 1) SELECT count(*) FROM u",
            ("p", point), ("week", week));
        await system.SendAsync(Endpoint, Batch(Cell(20, 300, 2)), Guid.NewGuid());
        Assert.Equal(1, await Observed(300));
        Assert.Equal(bound, await Bound());
        Assert.Equal(1, await system.ScalarAsync($"SELECT count(*) {Latest} AND surge", ("p", point), ("week", week)));

        // A revised earlier week is part of the latest week's history: that week is judged again from it, and now sees the totals.
        await system.SendAsync(Endpoint, Batch(Cell(19, 44, 2)), Guid.NewGuid());
        Assert.Equal(1, await system.WaitForCountAsync($"SELECT count(*) {Latest} AND upper_bound > 1000", 1, Patience, ("p", point), ("week", week)));
        Assert.Equal(0, await system.ScalarAsync($"SELECT count(*) {Latest} AND surge", ("p", point), ("week", week)));
    }
}
