using EarlyWarning.Alerting.Detection;
using EarlyWarning.Detection.Surveillance;
using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Alerting.Alerts;

/// <summary>What the analyst API asks for, in the reporting countries <see cref="Visible"/> (null: all).</summary>
internal sealed record AlertFilter(
    string? Country, string? BorderPoint, string? Nationality, string? Category, string? Severity, string? State,
    DateOnly? From, DateOnly? To, IReadOnlyCollection<string>? Visible, bool ByStrength, int Limit, string? Level = null);

internal sealed record AlertView(Guid AlertId, string ReportingCountry, string BorderPoint, string Nationality, string Category,
    DateOnly Period, DateOnly LastSurgeWeek, DateOnly? ClosedWeek, int WeeksAbove, DateOnly PeakWeek,
    long Observed, double Expected, double UpperBound, string Algorithm, string State, string? Severity, string? Certainty, double? Probability,
    int Revision, DateTimeOffset DetectedAt, DateTimeOffset UpdatedAt, string? TraceId, DateTimeOffset? WithdrawnAt, string? WithdrawnReason,
    string Level)
{
    /// <summary>The series it alerts on, typed (a dimension its level sums away is "_T").</summary>
    public SeriesKey Series() => new(SeriesLevel.Parse(Level), ReportingCountry, BorderPoint, Nationality, Category);
}

internal sealed record RevisionView(int Revision, int? ReferencesRevision, string MsgType, string State, DateOnly Start, DateOnly LastSurgeWeek,
    DateOnly? ClosedWeek, int WeeksAbove, DateOnly PeakWeek, long Observed, double Expected, double UpperBound, string Algorithm,
    string Severity, string Certainty, double? Probability, string? Reason, DateTimeOffset SentAt);

/// <summary>
/// The released cells of the alerted series in one week of the surge, summed over its border points (when its level
/// sums them) by nationality, national category, sex, age group and vulnerability: <see cref="Count"/> is the sum
/// of the released counts (null when every cell was suppressed), <see cref="Suppressed"/> the cells without one.
/// </summary>
internal sealed record BreakdownCell(DateOnly Week, string Nationality, string NationalCategory, string Sex, string AgeGroup, string? Vulnerability,
    long? Count, int Suppressed);

/// <summary>One week of a related series as judged (observed, expected, bound; a week not judged has no bound).</summary>
internal sealed record RelatedWeek(DateOnly Week, long? Observed, double? Expected, double? UpperBound, bool Surge);

/// <summary>
/// A series of another watched level that shares the alerted one's parts: higher (it sums the alerted series and
/// others: is the country total surging too?) or lower (one of the series the alerted one sums).
/// </summary>
internal sealed record RelatedSeries(string Level, string ReportingCountry, string BorderPoint, string Nationality, string Category,
    bool Surging, List<RelatedWeek> Weeks);

/// <summary>The analyst API's reads (SQL lives here, not in the endpoints).</summary>
internal static class AlertQueries
{
    private const string Columns =
        """
        alert_id, reporting_country, border_point, nationality, category, period, last_surge_week, closed_week, weeks_above, peak_week,
        observed, expected, upper_bound, algorithm, state, severity, certainty, probability, revision, detected_at, updated_at, trace_id,
        withdrawn_at, withdrawn_reason, level
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
              AND (@level::text IS NULL OR level = @level)
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
        Text(cmd, "level", f.Level);
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
        return await reader.ReadAsync(ct) ? (ReadAlert(reader), reader.GetString(25)) : null;
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

    /// <summary>The released cells of the series in the given weeks, breakdowns included (see <see cref="BreakdownCell"/>).</summary>
    public static async Task<List<BreakdownCell>> BreakdownAsync(NpgsqlDataSource db, SeriesKey series, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT period, nationality, national_category, sex, age_group, vulnerability, sum(count), count(*) FILTER (WHERE count IS NULL)
            FROM cells
            WHERE period BETWEEN @from AND @to AND NOT deleted AND reporting_country IS NOT NULL
              AND (@country::text IS NULL OR reporting_country = @country) AND (@point::text IS NULL OR border_point = @point)
              AND (@nationality::text IS NULL OR nationality = @nationality) AND (@category::text IS NULL OR category = @category)
            GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
            """);
        Parts(cmd, series);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        var cells = new List<BreakdownCell>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            cells.Add(new BreakdownCell(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : (long)r.GetDecimal(6), (int)r.GetInt64(7)));
        return cells;
    }

    /// <summary>
    /// The series of the other watched levels that share the alerted series' parts, as judged in the given weeks:
    /// the higher ones (fewer dimensions: its border point, its country total, its nationality across the region)
    /// and the lower ones (more dimensions), strongest first, at most <paramref name="limit"/> of each. Only series
    /// of reporting countries the caller may see (a level summed over the region only for a caller who sees all).
    /// </summary>
    public static async Task<(List<RelatedSeries> Higher, List<RelatedSeries> Lower)> RelatedAsync(NpgsqlDataSource db, SeriesKey series,
        IReadOnlyList<SeriesLevel> levels, IReadOnlyCollection<string>? visible, DateOnly from, DateOnly to, int limit, CancellationToken ct)
    {
        var higher = levels.Where(l => series.Level.IsFinerThan(l)).Select(l => l.Name).ToHashSet();
        var lower = levels.Where(l => l.IsFinerThan(series.Level)).Select(l => l.Name).ToHashSet();
        var found = new Dictionary<SeriesKey, RelatedSeries>();
        if (higher.Count + lower.Count == 0) return ([], []);
        await using var cmd = db.CreateCommand(
            """
            SELECT level, reporting_country, border_point, nationality, category, period, observed, expected, upper_bound, surge
            FROM judgements
            WHERE level = ANY(@levels) AND period BETWEEN @from AND @to AND reporting_country IS NOT NULL
              AND (@visible::text[] IS NULL OR reporting_country = ANY(@visible))
              AND (@country::text IS NULL OR reporting_country IN (@country, '_T')) AND (@point::text IS NULL OR border_point IN (@point, '_T'))
              AND (@nationality::text IS NULL OR nationality IN (@nationality, '_T')) AND (@category::text IS NULL OR category IN (@category, '_T'))
            ORDER BY period
            """);
        Parts(cmd, series);
        cmd.Parameters.AddWithValue("levels", higher.Concat(lower).ToArray());
        cmd.Parameters.AddWithValue("visible", NpgsqlDbType.Array | NpgsqlDbType.Text, (object?)visible?.ToArray() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                var key = new SeriesKey(SeriesLevel.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4));
                if (!found.TryGetValue(key, out var related))
                    found[key] = related = new RelatedSeries(key.Level.Name, key.Country, key.BorderPoint, key.Nationality, key.Category, false, []);
                var week = new RelatedWeek(r.GetFieldValue<DateOnly>(5), r.IsDBNull(6) ? null : r.GetInt64(6), r.IsDBNull(7) ? null : r.GetDouble(7),
                    r.IsDBNull(8) ? null : r.GetDouble(8), r.GetBoolean(9));
                related.Weeks.Add(week);
                if (week.Surge) found[key] = related = related with { Surging = true };
            }
        static double Strength(RelatedSeries s) => s.Weeks.Max(w => w.Observed is { } o && w.UpperBound is { } b ? o / Math.Max(b, 1e-9) : 0);
        List<RelatedSeries> Pick(HashSet<string> names) =>
            found.Values.Where(s => names.Contains(s.Level)).OrderByDescending(s => s.Surging).ThenByDescending(Strength).Take(limit).ToList();
        return (Pick(higher), Pick(lower));
    }

    /// <summary>The parts of a series as filters: null where its level sums the dimension away.</summary>
    private static void Parts(NpgsqlCommand cmd, SeriesKey series)
    {
        Text(cmd, "country", series.Level.Has(SeriesDimensions.Country) ? series.Country : null);
        Text(cmd, "point", series.Level.Has(SeriesDimensions.BorderPoint) ? series.BorderPoint : null);
        Text(cmd, "nationality", series.Level.Has(SeriesDimensions.Nationality) ? series.Nationality : null);
        Text(cmd, "category", series.Level.Has(SeriesDimensions.Category) ? series.Category : null);
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
        r.IsDBNull(21) ? null : r.GetString(21), r.IsDBNull(22) ? null : r.GetFieldValue<DateTimeOffset>(22), r.IsDBNull(23) ? null : r.GetString(23),
        r.GetString(24));
}
