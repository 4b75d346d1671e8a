using EarlyWarning.Detection.Surveillance;
using Npgsql;

namespace EarlyWarning.Alerting.Detection;

/// <summary>
/// The weeks of series above the finest level (those that sum many finest series) waiting for <see cref="WideSeriesJudging"/>,
/// each marked by the release whose message changed it. A week is judged only once every message of the releases that
/// marked it has been evaluated: judged on part of a release, a sum can show a surge that the rest of the release removes.
/// No mark waits longer than <see cref="ReleaseWait"/>: a release whose other messages do not come (one parked in an error
/// queue), or a series that new releases keep marking, is judged then on what has arrived.
/// </summary>
internal static class WideJudgingQueue
{
    /// <summary>The longest a marked week waits for the releases that marked it to be complete.</summary>
    public static readonly TimeSpan ReleaseWait = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a series across the region (a nationality or category over every country) must stay unchanged before its alerts
    /// follow its verdicts: countries publish apart, and a country's first data cannot be waited for by name
    /// (<see cref="WeeklySeries.Awaited"/>). Its weeks are judged at once; a series whose alerts may change is marked to be
    /// confirmed (<c>confirm</c>) and judged again once no release has changed it for this long.
    /// </summary>
    public static readonly TimeSpan RegionSettle = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The series whose marked weeks may be judged now: none of their marks is from a release that has messages still to
    /// come (and had one evaluated within <see cref="ReleaseWait"/>), or their oldest mark has waited <see cref="ReleaseWait"/>
    /// already (a series that release after release keeps marking, a region-wide total under a steady flow, is not held longer).
    /// </summary>
    private const string Ready =
        """
        waiting AS (
            SELECT submission_id FROM release_batches
            WHERE submission_id IN (SELECT DISTINCT submission_id FROM wide_judging_due)
            GROUP BY submission_id
            HAVING count(*) < max(batch_count) AND max(evaluated_at) > clock_timestamp() - make_interval(secs => @wait)),
        ready AS (
            SELECT level, reporting_country, border_point, nationality, category FROM wide_judging_due
            GROUP BY 1, 2, 3, 4, 5
            HAVING (NOT bool_or(submission_id IN (SELECT submission_id FROM waiting))
                    AND (NOT bool_or(confirm) OR max(marked_at) < clock_timestamp() - make_interval(secs => @settle)))
                OR min(marked_at) < clock_timestamp() - make_interval(secs => @wait))
        """;

    /// <summary>Records, in the batch's transaction, that this message of its release has been evaluated.</summary>
    public static async Task RecordBatchAsync(NpgsqlConnection connection, Guid submissionId, int batchNumber, int batchCount, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO release_batches (submission_id, batch_number, batch_count) VALUES (@id, @number, @count)
            ON CONFLICT (submission_id, batch_number) DO NOTHING
            """, connection);
        cmd.Parameters.AddWithValue("id", submissionId);
        cmd.Parameters.AddWithValue("number", batchNumber);
        cmd.Parameters.AddWithValue("count", batchCount);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Whether every message of the release has been evaluated, as the caller's transaction sees it (after recording its own):
    /// two last messages committed at once may each see the other missing, and both leave their series to the judging pass.
    /// </summary>
    public static async Task<bool> ReleaseCompleteAsync(NpgsqlConnection connection, Guid submissionId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT count(*) >= max(batch_count) FROM release_batches WHERE submission_id = @id", connection);
        cmd.Parameters.AddWithValue("id", submissionId);
        return await cmd.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>Marks the changed weeks for the batch's release, in the batch's transaction: they are judged once that transaction has committed.</summary>
    /// <param name="confirmFrom">For a mark to confirm a series across the region's alerts: the time of the change it waits to settle after.</param>
    public static async Task MarkAsync(NpgsqlConnection connection, Guid submissionId, IReadOnlyDictionary<SeriesKey, HashSet<DateOnly>> changed, CancellationToken ct,
        DateTimeOffset? confirmFrom = null)
    {
        var weeks = changed.SelectMany(c => c.Value.Select(week => (Key: c.Key, Week: week))).OrderBy(w => w.Key.ToString(), StringComparer.Ordinal).ThenBy(w => w.Week).ToList();
        if (weeks.Count == 0) return;
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO wide_judging_due (level, reporting_country, border_point, nationality, category, period, submission_id, marked_at, confirm)
            SELECT *, @submission, coalesce(@at, clock_timestamp()), @at IS NOT NULL FROM unnest(@levels, @countries, @points, @nationalities, @categories, @periods)
            ON CONFLICT DO NOTHING
            """, connection);
        cmd.Parameters.AddWithValue("submission", submissionId);
        cmd.Parameters.Add(new NpgsqlParameter("at", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)confirmFrom ?? DBNull.Value });
        cmd.Parameters.AddSeriesKeys(weeks.Select(w => w.Key));
        cmd.Parameters.AddWithValue("periods", weeks.Select(w => w.Week).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> series of watched levels whose marked weeks may be judged now (read without locking them).
    /// </summary>
    public static async Task<List<SeriesKey>> SeriesDueAsync(NpgsqlConnection connection, IReadOnlyList<SeriesLevel> watched, int limit, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"""
            WITH {Ready}
            SELECT * FROM ready WHERE level = ANY(@levels)
            ORDER BY 1, 2, 3, 4, 5 LIMIT @limit
            """, connection);
        var byName = watched.ToDictionary(l => l.Name);
        cmd.Parameters.AddWithValue("levels", byName.Keys.ToArray());
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("wait", ReleaseWait.TotalSeconds);
        cmd.Parameters.AddWithValue("settle", RegionSettle.TotalSeconds);
        var due = new List<SeriesKey>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            due.Add(new SeriesKey(byName[reader.GetString(0)], reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        return due;
    }

    /// <summary>
    /// Takes (deletes, in the caller's transaction) the marked weeks of <paramref name="series"/> that may still be judged now
    /// (a release with messages still to come may have marked one since it was found due). The caller holds the series' locks first, as
    /// batches do before they mark: a batch that marks a taken week again waits for the caller's commit, then marks it anew.
    /// </summary>
    /// <returns>The weeks taken of each series, with its newest mark's time and release (what a mark to confirm it carries on).</returns>
    public static async Task<Dictionary<SeriesKey, (HashSet<DateOnly> Weeks, DateTimeOffset Newest, Guid Release)>> TakeAsync(
        NpgsqlConnection connection, IReadOnlyList<SeriesKey> series, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"""
            WITH {Ready},
            keys AS (SELECT * FROM unnest(@levels, @countries, @points, @nationalities, @categories) WITH ORDINALITY AS k(level, c, b, na, ca, n))
            DELETE FROM wide_judging_due d USING keys k JOIN ready r
                ON (r.level, r.reporting_country, r.border_point, r.nationality, r.category) = (k.level, k.c, k.b, k.na, k.ca)
            WHERE (d.level, d.reporting_country, d.border_point, d.nationality, d.category) = (k.level, k.c, k.b, k.na, k.ca)
            RETURNING k.n, d.period, d.marked_at, d.submission_id
            """, connection);
        cmd.Parameters.AddWithValue("wait", ReleaseWait.TotalSeconds);
        cmd.Parameters.AddWithValue("settle", RegionSettle.TotalSeconds);
        cmd.Parameters.AddSeriesKeys(series);
        var taken = new Dictionary<SeriesKey, (HashSet<DateOnly> Weeks, DateTimeOffset Newest, Guid Release)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = series[(int)reader.GetInt64(0) - 1];
            var at = reader.GetFieldValue<DateTimeOffset>(2);
            if (!taken.TryGetValue(key, out var mark)) taken[key] = mark = ([], at, reader.GetGuid(3));
            mark.Weeks.Add(reader.GetFieldValue<DateOnly>(1));
            if (at > mark.Newest) taken[key] = (mark.Weeks, at, reader.GetGuid(3));
        }
        return taken;
    }

    /// <summary>Forgets the evaluated messages of releases older than a week: by then a release still incomplete has long been judged anyway.</summary>
    public static async Task PruneAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("DELETE FROM release_batches WHERE evaluated_at < clock_timestamp() - interval '7 days'", connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
