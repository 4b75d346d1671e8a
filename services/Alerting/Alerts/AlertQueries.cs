using EarlyWarning.Alerting.Detection;
using EarlyWarning.Detection.Surveillance;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Alerting.Alerts;

/// <summary>What the analyst API asks for, in the reporting countries <see cref="Visible"/> (null: all).</summary>
internal sealed record AlertFilter(
    string? Country, string? BorderPoint, string? Nationality, string? Category, string? Severity, string? State,
    DateOnly? From, DateOnly? To, IReadOnlyCollection<string>? Visible, bool ByStrength, int Limit);

internal sealed record AlertView(Guid AlertId, string ReportingCountry, string BorderPoint, string Nationality, string Category,
    DateOnly Period, DateOnly LastSurgeWeek, DateOnly? ClosedWeek, int WeeksAbove, DateOnly PeakWeek,
    long Observed, double Expected, double UpperBound, string Algorithm, string State, string? Severity, string? Certainty, double? Probability,
    int Revision, DateTimeOffset DetectedAt, DateTimeOffset UpdatedAt, string? TraceId, DateTimeOffset? WithdrawnAt, string? WithdrawnReason);

internal sealed record RevisionView(int Revision, int? ReferencesRevision, string MsgType, string State, DateOnly Start, DateOnly LastSurgeWeek,
    DateOnly? ClosedWeek, int WeeksAbove, DateOnly PeakWeek, long Observed, double Expected, double UpperBound, string Algorithm,
    string Severity, string Certainty, double? Probability, string? Reason, DateTimeOffset SentAt);

/// <summary>A released cell of the series in one week of the surge: a breakdown by national category, sex and age group (null count: suppressed).</summary>
internal sealed record BreakdownCell(DateOnly Week, string NationalCategory, string Sex, string AgeGroup, long? Count);

/// <summary>The weekly totals of the series around the alerted one: its border point, its reporting country, its nationality across the region.</summary>
internal sealed record LevelTotal(string Level, DateOnly Week, long? Total);

/// <summary>The analyst API's reads (SQL lives here, not in the endpoints).</summary>
internal static class AlertQueries
{
    private const string Columns =
        """
        alert_id, reporting_country, border_point, nationality, category, period, last_surge_week, closed_week, weeks_above, peak_week,
        observed, expected, upper_bound, algorithm, state, severity, certainty, probability, revision, detected_at, updated_at, trace_id,
        withdrawn_at, withdrawn_reason
        """;

    public static async Task<List<AlertView>> ListAsync(NpgsqlDataSource db, AlertFilter f, CancellationToken ct)
    {
        var orderBy = f.ByStrength ? "observed / nullif(upper_bound, 0) DESC NULLS FIRST" : "period DESC, observed DESC";
        await using var cmd = db.CreateCommand(
            $"""
            SELECT {Columns} FROM alerts
            WHERE (@country::text IS NULL OR reporting_country = @country)
              AND (@visible::text[] IS NULL OR reporting_country = ANY(@visible))
              AND (@point::text IS NULL OR border_point = @point)
              AND (@nationality::text IS NULL OR nationality = @nationality)
              AND (@category::text IS NULL OR category = @category)
              AND (@severity::text IS NULL OR severity = @severity)
              AND (@state::text IS NULL OR state = @state)
              AND (@from::date IS NULL OR coalesce(closed_week, last_surge_week) >= @from)
              AND (@to::date IS NULL OR period <= @to)
            ORDER BY {orderBy} LIMIT @limit
            """);
        Text(cmd, "country", f.Country);
        Text(cmd, "point", f.BorderPoint);
        Text(cmd, "nationality", f.Nationality);
        Text(cmd, "category", f.Category);
        Text(cmd, "severity", f.Severity);
        Text(cmd, "state", f.State);
        cmd.Parameters.AddWithValue("visible", NpgsqlDbType.Array | NpgsqlDbType.Text, (object?)f.Visible?.ToArray() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("from", NpgsqlDbType.Date, (object?)f.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", NpgsqlDbType.Date, (object?)f.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("limit", f.Limit);
        return await ReadAlertsAsync(cmd, ct);
    }

    /// <summary>The alert, if it exists and its reporting country is visible.</summary>
    public static async Task<(AlertView Alert, string SeriesKey)?> FindAsync(NpgsqlDataSource db, Guid id, IReadOnlyCollection<string>? visible, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            $"SELECT {Columns}, series_key FROM alerts WHERE alert_id = @id AND (@visible::text[] IS NULL OR reporting_country = ANY(@visible))");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("visible", NpgsqlDbType.Array | NpgsqlDbType.Text, (object?)visible?.ToArray() ?? DBNull.Value);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (ReadAlert(reader), reader.GetString(24)) : null;
    }

    public static async Task<List<RevisionView>> RevisionsAsync(NpgsqlDataSource db, Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT revision, references_revision, msg_type, state, start_week, last_surge_week, closed_week, weeks_above, peak_week,
                   observed, expected, upper_bound, algorithm, severity, certainty, probability, reason, sent_at
            FROM alert_revisions WHERE alert_id = @id ORDER BY revision
            """);
        cmd.Parameters.AddWithValue("id", id);
        var revisions = new List<RevisionView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            revisions.Add(new RevisionView(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt32(1), r.GetString(2), r.GetString(3),
                r.GetFieldValue<DateOnly>(4), r.GetFieldValue<DateOnly>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateOnly>(6), r.GetInt32(7),
                r.GetFieldValue<DateOnly>(8), r.GetInt64(9), r.GetDouble(10), r.GetDouble(11), r.GetString(12), r.GetString(13), r.GetString(14),
                r.IsDBNull(15) ? null : r.GetDouble(15), r.IsDBNull(16) ? null : r.GetString(16), r.GetFieldValue<DateTimeOffset>(17)));
        return revisions;
    }

    /// <summary>The verdict on every week of the series between two weeks: what plots observed, expected and bound.</summary>
    public static async Task<List<Verdict>> SeriesAsync(NpgsqlDataSource db, string seriesKey, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT period, observed, expected, upper_bound, algorithm, surge, probability, reason
            FROM judgements WHERE series_key = @key AND period BETWEEN @from AND @to ORDER BY period
            """);
        cmd.Parameters.AddWithValue("key", seriesKey);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        var verdicts = new List<Verdict>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) verdicts.Add(JudgementStore.Read(reader, 0));
        return verdicts;
    }

    /// <summary>The released cells of the series in the given weeks, breakdowns included (a suppressed cell has no count).</summary>
    public static async Task<List<BreakdownCell>> BreakdownAsync(NpgsqlDataSource db, string seriesKey, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT period, national_category, sex, age_group, count FROM cells
            WHERE series_key = @key AND period BETWEEN @from AND @to AND NOT deleted ORDER BY period, national_category, sex, age_group
            """);
        cmd.Parameters.AddWithValue("key", seriesKey);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        var cells = new List<BreakdownCell>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            cells.Add(new BreakdownCell(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4)));
        return cells;
    }

    /// <summary>
    /// Weekly totals of the higher-level series the alerted one belongs to, from series-total cells: its border
    /// point (every nationality and category), its reporting country, and its nationality across every reporting
    /// country the caller may see. A week with a suppressed total has none.
    /// </summary>
    public static async Task<List<LevelTotal>> HigherLevelsAsync(NpgsqlDataSource db, AlertView alert, IReadOnlyCollection<string>? visible,
        DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            WITH totals AS (
                SELECT * FROM cells
                WHERE period BETWEEN @from AND @to AND sex IN ('_T', '') AND age_group IN ('_T', '') AND NOT deleted
                  AND (@visible::text[] IS NULL OR reporting_country = ANY(@visible)))
            SELECT 'border point', period, CASE WHEN bool_or(count IS NULL) THEN NULL ELSE sum(count) END FROM totals
                WHERE reporting_country = @country AND border_point = @point GROUP BY period
            UNION ALL
            SELECT 'reporting country', period, CASE WHEN bool_or(count IS NULL) THEN NULL ELSE sum(count) END FROM totals
                WHERE reporting_country = @country GROUP BY period
            UNION ALL
            SELECT 'nationality across the region', period, CASE WHEN bool_or(count IS NULL) THEN NULL ELSE sum(count) END FROM totals
                WHERE nationality = @nationality GROUP BY period
            ORDER BY 1, 2
            """);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        cmd.Parameters.AddWithValue("country", alert.ReportingCountry);
        cmd.Parameters.AddWithValue("point", alert.BorderPoint);
        cmd.Parameters.AddWithValue("nationality", alert.Nationality);
        cmd.Parameters.AddWithValue("visible", NpgsqlDbType.Array | NpgsqlDbType.Text, (object?)visible?.ToArray() ?? DBNull.Value);
        var totals = new List<LevelTotal>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            totals.Add(new LevelTotal(r.GetString(0), r.GetFieldValue<DateOnly>(1), r.IsDBNull(2) ? null : (long)r.GetDecimal(2)));
        return totals;
    }

    private static void Text(NpgsqlCommand cmd, string name, string? value) =>
        cmd.Parameters.AddWithValue(name, NpgsqlDbType.Text, (object?)value ?? DBNull.Value);

    private static async Task<List<AlertView>> ReadAlertsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var alerts = new List<AlertView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) alerts.Add(ReadAlert(reader));
        return alerts;
    }

    private static AlertView ReadAlert(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetFieldValue<DateOnly>(5), r.GetFieldValue<DateOnly>(6),
        r.IsDBNull(7) ? null : r.GetFieldValue<DateOnly>(7), r.GetInt32(8), r.GetFieldValue<DateOnly>(9), r.GetInt64(10), r.GetDouble(11),
        r.GetDouble(12), r.GetString(13), r.GetString(14), r.IsDBNull(15) ? null : r.GetString(15), r.IsDBNull(16) ? null : r.GetString(16),
        r.IsDBNull(17) ? null : r.GetDouble(17), r.GetInt32(18), r.GetFieldValue<DateTimeOffset>(19), r.GetFieldValue<DateTimeOffset>(20),
        r.IsDBNull(21) ? null : r.GetString(21), r.IsDBNull(22) ? null : r.GetFieldValue<DateTimeOffset>(22), r.IsDBNull(23) ? null : r.GetString(23));
}
