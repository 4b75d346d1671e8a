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

    /// <summary>Marks the alert of a series and week withdrawn, with the reason, if one stands; returns whether one did.</summary>
    public static async Task<bool> WithdrawAsync(NpgsqlConnection connection, SeriesKey key, DateOnly period, string reason, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            UPDATE alerts SET withdrawn_at = clock_timestamp(), withdrawn_reason = @reason
            WHERE series_key = @key AND period = @period AND algorithm = @algorithm AND withdrawn_at IS NULL
            """, connection);
        cmd.Parameters.AddWithValue("key", key.ToString());
        cmd.Parameters.AddWithValue("period", period);
        cmd.Parameters.AddWithValue("algorithm", SurgeEvaluator.Algorithm);
        cmd.Parameters.AddWithValue("reason", reason);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}
