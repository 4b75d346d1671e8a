using EarlyWarning.Alerting.Detection;
using EarlyWarning.Contracts;
using MassTransit;
using Npgsql;

namespace EarlyWarning.Alerting.Alerts;

internal static class AlertStore
{
    /// <summary>Records a surge once per series, week and algorithm; returns the event to publish, or null when it was already raised.</summary>
    public static async Task<SurgeDetected?> TryRaiseAsync(NpgsqlConnection connection, Surge surge, string? traceId, CancellationToken ct)
    {
        var alert = new SurgeDetected(NewId.NextGuid(), surge.Key.ToString(), surge.Key.Country, surge.Key.BorderPoint,
            surge.Key.Nationality, surge.Key.Category, surge.Period, surge.Observed, surge.Expected, surge.UpperBound,
            SurgeEvaluator.Algorithm, DateTimeOffset.UtcNow);
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO alerts (alert_id, series_key, reporting_country, border_point, nationality, category, period,
                                observed, expected, upper_bound, algorithm, detected_at, trace_id)
            VALUES (@id, @key, @country, @point, @nationality, @category, @period, @observed, @expected, @bound, @algorithm, @detected, @trace)
            ON CONFLICT (series_key, period, algorithm) DO UPDATE SET
                observed = excluded.observed, expected = excluded.expected, upper_bound = excluded.upper_bound,
                detected_at = excluded.detected_at, trace_id = excluded.trace_id, withdrawn_at = NULL, withdrawn_reason = NULL
            -- Raised once; raised again only after it was withdrawn (a revision brought the surge back).
            WHERE alerts.withdrawn_at IS NOT NULL
            RETURNING alert_id
            """, connection);
        cmd.Parameters.AddWithValue("id", alert.AlertId);
        cmd.Parameters.AddWithValue("key", alert.SeriesKey);
        cmd.Parameters.AddWithValue("country", alert.ReportingCountry);
        cmd.Parameters.AddWithValue("point", alert.BorderPoint);
        cmd.Parameters.AddWithValue("nationality", alert.Nationality);
        cmd.Parameters.AddWithValue("category", alert.Category);
        cmd.Parameters.AddWithValue("period", alert.Period);
        cmd.Parameters.AddWithValue("observed", alert.Observed);
        cmd.Parameters.AddWithValue("expected", alert.Expected);
        cmd.Parameters.AddWithValue("bound", alert.UpperBound);
        cmd.Parameters.AddWithValue("algorithm", alert.Algorithm);
        cmd.Parameters.AddWithValue("detected", alert.DetectedAt);
        cmd.Parameters.AddWithValue("trace", (object?)traceId ?? DBNull.Value);
        // A raised-again alert keeps its first identifier.
        return await cmd.ExecuteScalarAsync(ct) is Guid id ? alert with { AlertId = id } : null;
    }

    /// <summary>
    /// Marks withdrawn, with its reason, each standing alert of the given series and weeks (one statement for
    /// the whole batch: most judged weeks have no alert); returns the ones that were withdrawn.
    /// </summary>
    public static async Task<List<(string SeriesKey, DateOnly Period)>> WithdrawAsync(
        NpgsqlConnection connection, IReadOnlyList<Judgement> judgements, CancellationToken ct)
    {
        var withdrawn = new List<(string, DateOnly)>();
        if (judgements.Count == 0) return withdrawn;
        await using var cmd = new NpgsqlCommand(
            """
            UPDATE alerts a SET withdrawn_at = clock_timestamp(), withdrawn_reason = u.reason
            FROM unnest(@keys, @periods, @reasons) AS u(key, period, reason)
            WHERE a.series_key = u.key AND a.period = u.period AND a.algorithm = @algorithm AND a.withdrawn_at IS NULL
            RETURNING a.series_key, a.period
            """, connection);
        cmd.Parameters.AddWithValue("keys", judgements.Select(j => j.Key.ToString()).ToArray());
        cmd.Parameters.AddWithValue("periods", judgements.Select(j => j.Period).ToArray());
        cmd.Parameters.AddWithValue("reasons", judgements.Select(j => j.Reason ?? "").ToArray());
        cmd.Parameters.AddWithValue("algorithm", SurgeEvaluator.Algorithm);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) withdrawn.Add((reader.GetString(0), reader.GetFieldValue<DateOnly>(1)));
        return withdrawn;
    }
}
