using EarlyWarning.Anonymization.Agreements;
using EarlyWarning.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Anonymization;

/// <summary>An audit row: what the agreement did to one submission.</summary>
internal sealed record SubmissionAudit(
    Guid SubmissionId, string ReportingCountry, string AgreementId, int AgreementVersion, int Batches,
    int SourceCells, int Generalized, int Released, int PrimarySuppressed, int SecondarySuppressed, int Rounded, int Held,
    int BreakdownsWithheld, int PersonalFieldsRemoved, int QuasiIdentifiersGeneralized, int? DistinctPersons, DateTimeOffset ReleasedAt);

/// <summary>A submission's release: its cells, the cells it deletes, and its number (the version of every cell in it).</summary>
internal sealed record SubmissionRelease(Release Release, IReadOnlyList<CellKey> Deleted, long Version, SubmissionAudit Audit);

/// <summary>Anonymization's state in its schema: submissions being collected, the national table, what was released, the audit.</summary>
internal sealed class SubmissionStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "period, border_point, nationality, category, sex, age_group";

    /// <summary>Records each agreement's id, version and digest; refuses a file changed without a new version.</summary>
    public async Task RecordAgreementsAsync(AgreementCatalog catalog, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        foreach (var agreement in catalog.All)
        {
            await using var cmd = new NpgsqlCommand(
                """
                INSERT INTO agreement_versions (agreement_id, version, country, effective_from, sha256, source)
                VALUES (@id, @version, @country, @from, @sha, @source) ON CONFLICT DO NOTHING;
                SELECT sha256 FROM agreement_versions WHERE agreement_id = @id AND version = @version;
                """, connection);
            cmd.Parameters.AddWithValue("id", agreement.Id);
            cmd.Parameters.AddWithValue("version", agreement.Version);
            cmd.Parameters.AddWithValue("country", agreement.Country);
            cmd.Parameters.AddWithValue("from", agreement.EffectiveFrom);
            cmd.Parameters.AddWithValue("sha", agreement.Sha256);
            cmd.Parameters.AddWithValue("source", agreement.Source);
            if ((string?)await cmd.ExecuteScalarAsync(ct) != agreement.Sha256)
                throw new InvalidAgreementException(agreement.Source, "version",
                    $"the file differs from version {agreement.Version} of {agreement.Id} as applied before: a changed agreement needs a new version");
        }
    }

    /// <summary>
    /// Serializes the counting of one submission's batches (a transaction-scoped advisory lock): two last batches
    /// committed side by side would each miss the other and the submission would never be released. Taken after a
    /// batch's cells are written, so that batches of one submission store their cells side by side and wait for
    /// each other only to count (and, for the last, to release).
    /// </summary>
    private static async Task LockAsync(NpgsqlConnection connection, Guid submissionId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@id::text, 8))", connection);
        cmd.Parameters.AddWithValue("id", submissionId);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<bool> ReleasedAsync(NpgsqlConnection connection, Guid submissionId, CancellationToken ct)
    {
        await using var check = new NpgsqlCommand("SELECT count(*) FROM submission_audit WHERE submission_id = @id", connection);
        check.Parameters.AddWithValue("id", submissionId);
        return (long)(await check.ExecuteScalarAsync(ct))! > 0;
    }

    /// <summary>Stores a batch's cells and pseudonyms; returns how many distinct batches of the submission are here, or null if it was released already.</summary>
    public static async Task<int?> AddBatchAsync(NpgsqlConnection connection, ObservationsSubmitted batch, PreparedBatch prepared, CancellationToken ct)
    {
        if (await ReleasedAsync(connection, batch.SubmissionId, ct)) return null;
        await using (var cmd = new NpgsqlCommand(
            """
            INSERT INTO submission_batches (submission_id, batch_number, batch_count, reporting_country, observations, personal_fields_removed, quasi_identifiers_generalized)
            VALUES (@id, @number, @count, @country, @observations, @removed, @generalized) ON CONFLICT DO NOTHING
            """, connection))
        {
            cmd.Parameters.AddWithValue("id", batch.SubmissionId);
            cmd.Parameters.AddWithValue("number", batch.BatchNumber);
            cmd.Parameters.AddWithValue("count", batch.BatchCount);
            cmd.Parameters.AddWithValue("country", batch.ReportingCountry);
            cmd.Parameters.AddWithValue("observations", batch.Observations.Count);
            cmd.Parameters.AddWithValue("removed", prepared.PersonalFieldsRemoved);
            cmd.Parameters.AddWithValue("generalized", prepared.QuasiIdentifiersGeneralized);
            // The same batch number under another message id is a republished copy: its cells are here already.
            if (await cmd.ExecuteNonQueryAsync(ct) == 0) return await CountAsync(connection, batch.SubmissionId, ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY pending_cells (submission_id, {Columns}, count, line, version, deleted, confidential) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var cell in prepared.Cells)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(batch.SubmissionId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(cell.Group.Period, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(cell.Group.BorderPoint, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(cell.Group.Nationality, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(cell.Group.Category, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(cell.Sex ?? "", NpgsqlDbType.Text, ct);
                await copy.WriteAsync(cell.AgeGroup ?? "", NpgsqlDbType.Text, ct);
                await copy.WriteAsync(cell.Count, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(cell.Line, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(cell.Version, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(cell.Deleted, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(cell.Confidential, NpgsqlDbType.Boolean, ct);
            }
            await copy.CompleteAsync(ct);
        }
        if (prepared.Pseudonyms.Count > 0)
        {
            await using var persons = new NpgsqlCommand(
                "INSERT INTO pending_persons (submission_id, pseudonym) SELECT @id, p FROM unnest(@pseudonyms) AS p ON CONFLICT DO NOTHING", connection);
            persons.Parameters.AddWithValue("id", batch.SubmissionId);
            persons.Parameters.AddWithValue("pseudonyms", prepared.Pseudonyms.Distinct().ToArray());
            await persons.ExecuteNonQueryAsync(ct);
        }
        return await CountAsync(connection, batch.SubmissionId, ct);
    }

    /// <summary>
    /// Under the submission's lock: how many distinct batches are here, or null if the submission was released while
    /// this batch was being written (then what it wrote is removed: nothing would ever release it).
    /// </summary>
    private static async Task<int?> CountAsync(NpgsqlConnection connection, Guid submissionId, CancellationToken ct)
    {
        await LockAsync(connection, submissionId, ct);
        if (await ReleasedAsync(connection, submissionId, ct))
        {
            await using var clean = new NpgsqlCommand(
                "DELETE FROM pending_cells WHERE submission_id = @id; DELETE FROM pending_persons WHERE submission_id = @id", connection);
            clean.Parameters.AddWithValue("id", submissionId);
            await clean.ExecuteNonQueryAsync(ct);
            return null;
        }
        return await BatchesReceivedAsync(connection, submissionId, ct);
    }

    private static async Task<int> BatchesReceivedAsync(NpgsqlConnection connection, Guid submissionId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM submission_batches WHERE submission_id = @id", connection);
        cmd.Parameters.AddWithValue("id", submissionId);
        return (int)(long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The largest batch of a submission: its release is sent in messages no larger (an authority that sends small batches gets small messages).</summary>
    public static async Task<int> LargestBatchAsync(NpgsqlConnection connection, Guid submissionId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT coalesce(max(observations), 1) FROM submission_batches WHERE submission_id = @id", connection);
        cmd.Parameters.AddWithValue("id", submissionId);
        return Math.Max(1, (int)(await cmd.ExecuteScalarAsync(ct))!);
    }

    /// <summary>
    /// Merges a complete submission into the national table, then releases every group it touched under the
    /// agreement: the whole group as it now stands, so totals and breakdowns are protected together. A cell
    /// published before that its group no longer has (the publisher deleted what it summed) is published as
    /// deleted.
    /// </summary>
    public static async Task<SubmissionRelease> ReleaseAsync(
        NpgsqlConnection connection, ObservationsSubmitted batch, Agreement agreement, CancellationToken ct)
    {
        var country = batch.ReportingCountry;
        // Releases that touch a common group run one at a time, and each draws its number only once it holds its
        // groups: it computes them from the national table as the release before left it, and its number is the
        // version of every cell it publishes, so downstream the later release of a cell always wins. Releases on
        // other groups of the same country run alongside.
        await using (var take = new NpgsqlCommand(LockGroups(agreement.Generalization), connection))
        {
            take.Parameters.AddWithValue("country", country);
            take.Parameters.AddWithValue("id", batch.SubmissionId);
            await take.ExecuteNonQueryAsync(ct);
        }
        long version;
        await using (var next = new NpgsqlCommand("SELECT nextval('release_version')", connection))
            version = (long)(await next.ExecuteScalarAsync(ct))!;

        // A national cell takes the submission's value only if the submission is newer than what the table holds.
        await using (var merge = new NpgsqlCommand(
            $"""
            INSERT INTO national_cells (reporting_country, {Columns}, count, line, submission_id, version, deleted, confidential)
            SELECT @country, {Columns}, sum(count), min(line), @id, max(version), bool_or(deleted), bool_or(confidential) FROM pending_cells WHERE submission_id = @id GROUP BY {Columns}
            ON CONFLICT (reporting_country, {Columns}) DO UPDATE
            SET count = excluded.count, line = excluded.line, submission_id = excluded.submission_id, version = excluded.version, deleted = excluded.deleted,
                confidential = excluded.confidential
            WHERE national_cells.version <= excluded.version
            """, connection))
        {
            merge.Parameters.AddWithValue("country", country);
            merge.Parameters.AddWithValue("id", batch.SubmissionId);
            await merge.ExecuteNonQueryAsync(ct);
        }

        var cells = new List<SourceCell>();
        await ReadTouchedAsync(connection,
            $"SELECT {Columns}, count, line, confidential FROM national_cells n JOIN {GroupsTouched(agreement.Generalization, "n")} WHERE n.reporting_country = @country::char(3) AND NOT n.deleted",
            country, batch.SubmissionId,
            reader => cells.Add(new SourceCell(Group(reader), NullIfEmpty(reader.GetString(4)), NullIfEmpty(reader.GetString(5)), reader.GetInt64(6), reader.GetInt32(7))
            {
                Confidential = reader.GetBoolean(8),
            }), ct);
        // Published cells are keyed as released (already coarsened). The values a cell was released with count for the
        // revision rule even once it is deleted; only the cells not deleted are published now.
        var released = new Dictionary<CellKey, long[]>();
        var published = new List<CellKey>();
        await ReadTouchedAsync(connection,
            $"SELECT {Columns}, released_values, deleted FROM published_cells p JOIN {GroupsTouched(agreement.Generalization, "p")} WHERE p.reporting_country = @country::char(3)",
            country, batch.SubmissionId,
            reader =>
            {
                var key = Key(reader);
                if (reader.GetFieldValue<long[]>(6) is { Length: > 0 } values) released[key] = values;
                if (!reader.GetBoolean(7)) published.Add(key);
            }, ct);

        var release = TableReleaser.Apply(agreement, cells, released, country);
        var deleted = published.Except(release.Cells.Select(c => c.Key)).Except(release.Held).ToList();

        // A free, unrounded cell adds its value to those it was released with (once); every published cell takes this
        // release's version, and a cell its group no longer has is published as deleted.
        var publishedNow = release.Cells
            .Select(c => (c.Key, Deleted: false, Value: c is { Status: ConfidentialityStatus.Free, Rounded: false } ? c.Value : null))
            .Concat(deleted.Select(k => (Key: k, Deleted: true, Value: (long?)null))).ToList();
        await using (var publish = new NpgsqlCommand(
            $"""
            INSERT INTO published_cells (reporting_country, {Columns}, version, deleted, released_values)
            SELECT @country, p, b, n, c, s, a, @version, d, CASE WHEN v IS NULL THEN ARRAY[]::bigint[] ELSE ARRAY[v] END
            FROM unnest(@p, @b, @n, @c, @s, @a, @d, @v) AS u(p, b, n, c, s, a, d, v)
            ON CONFLICT (reporting_country, {Columns}) DO UPDATE SET version = excluded.version, deleted = excluded.deleted,
                released_values = CASE WHEN cardinality(excluded.released_values) = 0 OR excluded.released_values[1] = ANY(published_cells.released_values)
                                       THEN published_cells.released_values ELSE published_cells.released_values || excluded.released_values END
            """, connection))
        {
            publish.Parameters.AddWithValue("country", country);
            publish.Parameters.AddWithValue("version", version);
            AddKeys(publish, publishedNow.Select(p => p.Key).ToList());
            publish.Parameters.AddWithValue("d", publishedNow.Select(p => p.Deleted).ToArray());
            publish.Parameters.AddWithValue("v", publishedNow.Select(p => p.Value).ToArray());
            await publish.ExecuteNonQueryAsync(ct);
        }

        SubmissionAudit audit;
        await using (var write = new NpgsqlCommand(
            """
            INSERT INTO submission_audit (submission_id, reporting_country, agreement_id, agreement_version, batches, source_cells, generalized,
                released, primary_suppressed, secondary_suppressed, rounded, held, breakdowns_withheld, personal_fields_removed,
                quasi_identifiers_generalized, distinct_persons, release_version, deleted)
            SELECT @id, @country, @agreement, @version, count(*), @sources, @generalized, @released, @primary, @secondary, @rounded, @held, @withheld,
                   sum(personal_fields_removed), sum(quasi_identifiers_generalized),
                   CASE WHEN @pseudonyms THEN (SELECT count(*) FROM pending_persons WHERE submission_id = @id) END, @release, @deleted
            FROM submission_batches WHERE submission_id = @id
            RETURNING batches, personal_fields_removed, quasi_identifiers_generalized, distinct_persons, released_at;
            DELETE FROM pending_cells WHERE submission_id = @id;
            DELETE FROM pending_persons WHERE submission_id = @id;
            """, connection))
        {
            var counts = release.Counts;
            write.Parameters.AddWithValue("id", batch.SubmissionId);
            write.Parameters.AddWithValue("country", country);
            write.Parameters.AddWithValue("agreement", agreement.Id);
            write.Parameters.AddWithValue("version", agreement.Version);
            write.Parameters.AddWithValue("sources", counts.SourceCells);
            write.Parameters.AddWithValue("generalized", counts.Generalized);
            write.Parameters.AddWithValue("released", counts.Released);
            write.Parameters.AddWithValue("primary", counts.PrimarySuppressed);
            write.Parameters.AddWithValue("secondary", counts.SecondarySuppressed);
            write.Parameters.AddWithValue("rounded", counts.Rounded);
            write.Parameters.AddWithValue("held", counts.Held);
            write.Parameters.AddWithValue("withheld", counts.BreakdownsWithheld);
            write.Parameters.AddWithValue("pseudonyms", agreement.RecordLevel.Pseudonym is not null);
            write.Parameters.AddWithValue("release", version);
            write.Parameters.AddWithValue("deleted", deleted.Count);
            await using var reader = await write.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            audit = new SubmissionAudit(batch.SubmissionId, country, agreement.Id, agreement.Version, reader.GetInt32(0),
                counts.SourceCells, counts.Generalized, counts.Released, counts.PrimarySuppressed, counts.SecondarySuppressed, counts.Rounded,
                counts.Held, counts.BreakdownsWithheld, reader.GetInt32(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4));
        }
        return new SubmissionRelease(release, deleted, version, audit);
    }

    /// <summary>Runs a query over the groups a submission touched (parameters @country and @id) and hands each row to <paramref name="read"/>.</summary>
    private static async Task ReadTouchedAsync(NpgsqlConnection connection, string sql, string country, Guid submissionId, Action<NpgsqlDataReader> read, CancellationToken ct)
    {
        await using var load = new NpgsqlCommand(sql, connection);
        load.Parameters.AddWithValue("country", country);
        load.Parameters.AddWithValue("id", submissionId);
        await using var reader = await load.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) read(reader);
    }

    /// <summary>
    /// The join that selects the groups a submission touched, in the cells of <paramref name="alias"/>. A group the
    /// agreement coarsens (to a month, a region or the country, or rare nationalities to "other") is released whole,
    /// so every cell that may fall in it is loaded: all border points and nationalities of the touched periods and
    /// categories. Released cells are keyed already coarsened, and a month's key is its first day.
    /// </summary>
    private static string GroupsTouched(Generalization generalization, string alias)
    {
        if (generalization is { Period: PeriodLevel.Week, BorderPoints: PlaceLevel.AsSubmitted, RareNationalitiesBelow: null })
            return "(SELECT DISTINCT period, border_point, nationality, category FROM pending_cells WHERE submission_id = @id) g USING (period, border_point, nationality, category)";
        string Period(string column) => generalization.Period == PeriodLevel.Month ? $"date_trunc('month', {column})::date" : column;
        var points = generalization.BorderPoints == PlaceLevel.AsSubmitted;
        var nationalities = generalization.RareNationalitiesBelow is null;
        return $"""
            (SELECT DISTINCT {Period("period")} AS g_period, category AS g_category{(points ? ", border_point AS g_point" : "")}{(nationalities ? ", nationality AS g_nationality" : "")}
             FROM pending_cells WHERE submission_id = @id) g
            ON g.g_period = {Period($"{alias}.period")} AND g.g_category = {alias}.category
            {(points ? $"AND g.g_point = {alias}.border_point" : "")} {(nationalities ? $"AND g.g_nationality = {alias}.nationality" : "")}
            """;
    }

    /// <summary>
    /// Takes the row locks of the groups a submission touches, keyed as <see cref="GroupsTouched"/> selects them, in
    /// key order so that two releases sharing groups wait for each other instead of deadlocking.
    /// </summary>
    private static string LockGroups(Generalization generalization)
    {
        var period = generalization.Period == PeriodLevel.Month ? "date_trunc('month', period)::date" : "period";
        var point = generalization.BorderPoints == PlaceLevel.AsSubmitted ? "border_point" : "''";
        var nationality = generalization.RareNationalitiesBelow is null ? "nationality" : "''";
        return $"""
            INSERT INTO release_groups (reporting_country, period, category, border_point, nationality, submission_id)
            SELECT DISTINCT @country, {period}, category, {point}, {nationality}, @id::uuid FROM pending_cells WHERE submission_id = @id ORDER BY 2, 3, 4, 5
            ON CONFLICT (reporting_country, period, category, border_point, nationality) DO UPDATE SET submission_id = excluded.submission_id
            """;
    }

    private static void AddKeys(NpgsqlCommand command, IReadOnlyList<CellKey> keys)
    {
        command.Parameters.AddWithValue("p", keys.Select(k => k.Group.Period).ToArray());
        command.Parameters.AddWithValue("b", keys.Select(k => k.Group.BorderPoint).ToArray());
        command.Parameters.AddWithValue("n", keys.Select(k => k.Group.Nationality).ToArray());
        command.Parameters.AddWithValue("c", keys.Select(k => k.Group.Category).ToArray());
        command.Parameters.AddWithValue("s", keys.Select(k => k.Sex).ToArray());
        command.Parameters.AddWithValue("a", keys.Select(k => k.AgeGroup).ToArray());
    }

    private static CellKey Key(NpgsqlDataReader reader) => new(Group(reader), reader.GetString(4), reader.GetString(5));

    public async Task<SubmissionAudit?> GetAuditAsync(Guid submissionId, CancellationToken ct)
    {
        var audits = await ListAuditsAsync("submission_id = @id", ("id", submissionId), 1, ct);
        return audits.FirstOrDefault();
    }

    public Task<List<SubmissionAudit>> ListAuditsByCountryAsync(string country, int limit, CancellationToken ct) =>
        ListAuditsAsync("reporting_country = @country", ("country", country.ToUpperInvariant()), limit, ct);

    private async Task<List<SubmissionAudit>> ListAuditsAsync(string where, (string Name, object Value) parameter, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT submission_id, reporting_country, agreement_id, agreement_version, batches, source_cells, generalized, released,
                   primary_suppressed, secondary_suppressed, rounded, held, breakdowns_withheld, personal_fields_removed,
                   quasi_identifiers_generalized, distinct_persons, released_at
            FROM submission_audit WHERE {where} ORDER BY released_at DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue(parameter.Name, parameter.Value);
        cmd.Parameters.AddWithValue("limit", limit);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var audits = new List<SubmissionAudit>();
        while (await reader.ReadAsync(ct))
            audits.Add(new SubmissionAudit(reader.GetGuid(0), reader.GetString(1).Trim(), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10),
                reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13), reader.GetInt32(14),
                reader.IsDBNull(15) ? null : reader.GetInt32(15), reader.GetFieldValue<DateTimeOffset>(16)));
        return audits;
    }

    private static GroupKey Group(NpgsqlDataReader reader) =>
        new(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
