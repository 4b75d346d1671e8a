using EarlyWarning.Alerting.Detection;
using EarlyWarning.Contracts;
using EarlyWarning.Detection.Surveillance;
using MassTransit;
using Npgsql;

namespace EarlyWarning.Alerting.Alerts;

/// <summary>Alerts and their revisions, inside the consumer's transaction.</summary>
internal static class AlertStore
{
    /// <summary>The standing (active or closed) alerts of the given series that end on or after <paramref name="since"/>.</summary>
    public static async Task<Dictionary<string, List<StoredAlert>>> LoadStandingAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> seriesKeys, DateOnly since, CancellationToken ct)
    {
        var alerts = new Dictionary<string, List<StoredAlert>>();
        await using var cmd = new NpgsqlCommand(
            """
            SELECT series_key, alert_id, period, last_surge_week, closed_week, weeks_above, peak_week, observed, coalesce(severity, 'Minor'), state, revision
            FROM alerts WHERE series_key = ANY(@keys) AND state <> 'withdrawn' AND coalesce(closed_week, last_surge_week) >= @since
            """, connection);
        cmd.Parameters.AddWithValue("keys", seriesKeys.ToArray());
        cmd.Parameters.AddWithValue("since", since);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = reader.GetString(0);
            if (!alerts.TryGetValue(key, out var list)) alerts[key] = list = [];
            list.Add(new StoredAlert(reader.GetGuid(1), reader.GetFieldValue<DateOnly>(2), reader.GetFieldValue<DateOnly>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4), reader.GetInt32(5), reader.GetFieldValue<DateOnly>(6),
                reader.GetInt64(7), reader.GetString(8), reader.GetString(9), reader.GetInt32(10)));
        }
        return alerts;
    }

    /// <summary>Applies one change to the alerts of a series, records it as a revision and returns the event that tells it.</summary>
    public static async Task<object> ApplyAsync(NpgsqlConnection connection, SeriesKey key, AlertChange change, Guid? raisedId, string? traceId, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        switch (change.Kind)
        {
            case AlertChangeKind.Raise:
            {
                var e = change.Episode!;
                var id = NewId.NextGuid();
                await using (var cmd = new NpgsqlCommand(
                    """
                    INSERT INTO alerts (alert_id, series_key, reporting_country, border_point, nationality, category, period,
                                        observed, expected, upper_bound, algorithm, detected_at, trace_id, state, revision,
                                        last_surge_week, closed_week, weeks_above, peak_week, severity, certainty, probability, level)
                    VALUES (@id, @key, @country, @point, @nationality, @category, @start, @observed, @expected, @bound, @algorithm, @now, @trace,
                            'active', 1, @last, NULL, @weeks, @peak, @severity, @certainty, @probability, @level)
                    """, connection))
                {
                    cmd.Parameters.AddWithValue("id", id);
                    cmd.Parameters.AddWithValue("key", key.ToString());
                    cmd.Parameters.AddWithValue("country", key.Country);
                    cmd.Parameters.AddWithValue("point", key.BorderPoint);
                    cmd.Parameters.AddWithValue("nationality", key.Nationality);
                    cmd.Parameters.AddWithValue("category", key.Category);
                    cmd.Parameters.AddWithValue("level", key.Level.Name);
                    cmd.Parameters.AddWithValue("now", now);
                    cmd.Parameters.AddWithValue("trace", (object?)traceId ?? DBNull.Value);
                    AddEpisode(cmd, e);
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                await AddRevisionAsync(connection, id, 1, null, "Alert", "active", e with { ClosedWeek = null }, null, ct);
                return new SurgeDetected(id, key.ToString(), key.Country, key.BorderPoint, key.Nationality, key.Category, e.Start,
                    e.Peak.Observed!.Value, e.Peak.Expected ?? 0, e.Peak.UpperBound!.Value, e.Peak.Algorithm!, now)
                {
                    Severity = e.Severity.ToString(), Certainty = e.Peak.Certainty, Probability = e.Peak.Probability, Level = key.Level.Name,
                };
            }
            case AlertChangeKind.Update or AlertChangeKind.Close:
            {
                var e = change.Episode!;
                var (id, revision) = change.Alert is { } a ? (a.AlertId, a.Revision) : (raisedId!.Value, 1);
                var state = e.Closed ? "closed" : "active";
                await using (var cmd = new NpgsqlCommand(
                    """
                    UPDATE alerts SET period = @start, observed = @observed, expected = @expected, upper_bound = @bound, algorithm = @algorithm,
                        state = @state, revision = @revision, last_surge_week = @last, closed_week = @closed, weeks_above = @weeks,
                        peak_week = @peak, severity = @severity, certainty = @certainty, probability = @probability, updated_at = @now
                    WHERE alert_id = @id
                    """, connection))
                {
                    cmd.Parameters.AddWithValue("id", id);
                    cmd.Parameters.AddWithValue("state", state);
                    cmd.Parameters.AddWithValue("revision", revision + 1);
                    cmd.Parameters.AddWithValue("closed", (object?)e.ClosedWeek ?? DBNull.Value);
                    cmd.Parameters.AddWithValue("now", now);
                    AddEpisode(cmd, e);
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                await AddRevisionAsync(connection, id, revision + 1, revision, "Update", state, e, null, ct);
                return change.Kind == AlertChangeKind.Close
                    ? new SurgeAlertClosed(id, revision + 1, revision, key.ToString(), key.Country, e.Start, e.LastSurgeWeek, e.ClosedWeek!.Value,
                        e.WeeksAbove, e.Severity.ToString(), now) { Level = key.Level.Name }
                    : new SurgeAlertUpdated(id, revision + 1, revision, key.ToString(), key.Country, e.Start, e.LastSurgeWeek, e.WeeksAbove,
                        e.Peak.Week, e.Peak.Observed!.Value, e.Peak.Expected ?? 0, e.Peak.UpperBound!.Value, e.Peak.Algorithm!,
                        e.Severity.ToString(), e.Peak.Certainty, e.Peak.Probability, now) { Level = key.Level.Name };
            }
            default:
            {
                var alert = change.Alert!;
                await using (var cmd = new NpgsqlCommand(
                    """
                    UPDATE alerts SET state = 'withdrawn', revision = @revision, withdrawn_at = @now, withdrawn_reason = @reason, updated_at = @now
                    WHERE alert_id = @id
                    """, connection))
                {
                    cmd.Parameters.AddWithValue("id", alert.AlertId);
                    cmd.Parameters.AddWithValue("revision", alert.Revision + 1);
                    cmd.Parameters.AddWithValue("now", now);
                    cmd.Parameters.AddWithValue("reason", change.Reason ?? "");
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                await using (var cmd = new NpgsqlCommand(
                    """
                    INSERT INTO alert_revisions (alert_id, revision, references_revision, msg_type, state, start_week, last_surge_week, closed_week,
                                                 weeks_above, peak_week, observed, expected, upper_bound, algorithm, severity, certainty, probability, reason)
                    SELECT alert_id, @revision, revision, 'Cancel', 'withdrawn', start_week, last_surge_week, closed_week,
                           weeks_above, peak_week, observed, expected, upper_bound, algorithm, severity, certainty, probability, @reason
                    FROM alert_revisions WHERE alert_id = @id AND revision = @previous
                    """, connection))
                {
                    cmd.Parameters.AddWithValue("id", alert.AlertId);
                    cmd.Parameters.AddWithValue("revision", alert.Revision + 1);
                    cmd.Parameters.AddWithValue("previous", alert.Revision);
                    cmd.Parameters.AddWithValue("reason", change.Reason ?? "");
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                return new SurgeAlertWithdrawn(alert.AlertId, alert.Revision + 1, alert.Revision, key.ToString(), key.Country, alert.Start,
                    change.Reason ?? "", now) { Level = key.Level.Name };
            }
        }
    }

    private static void AddEpisode(NpgsqlCommand cmd, Episode e)
    {
        cmd.Parameters.AddWithValue("start", e.Start);
        cmd.Parameters.AddWithValue("observed", e.Peak.Observed!.Value);
        cmd.Parameters.AddWithValue("expected", e.Peak.Expected ?? 0);
        cmd.Parameters.AddWithValue("bound", e.Peak.UpperBound!.Value);
        cmd.Parameters.AddWithValue("algorithm", e.Peak.Algorithm!);
        cmd.Parameters.AddWithValue("last", e.LastSurgeWeek);
        cmd.Parameters.AddWithValue("weeks", e.WeeksAbove);
        cmd.Parameters.AddWithValue("peak", e.Peak.Week);
        cmd.Parameters.AddWithValue("severity", e.Severity.ToString());
        cmd.Parameters.AddWithValue("certainty", e.Peak.Certainty);
        cmd.Parameters.AddWithValue("probability", (object?)e.Peak.Probability ?? DBNull.Value);
    }

    private static async Task AddRevisionAsync(NpgsqlConnection connection, Guid id, int revision, int? references, string msgType, string state,
        Episode e, string? reason, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO alert_revisions (alert_id, revision, references_revision, msg_type, state, start_week, last_surge_week, closed_week,
                                         weeks_above, peak_week, observed, expected, upper_bound, algorithm, severity, certainty, probability, reason)
            VALUES (@id, @revision, @references, @type, @state, @start, @last, @closed, @weeks, @peak, @observed, @expected, @bound, @algorithm,
                    @severity, @certainty, @probability, @reason)
            """, connection);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("revision", revision);
        cmd.Parameters.AddWithValue("references", (object?)references ?? DBNull.Value);
        cmd.Parameters.AddWithValue("type", msgType);
        cmd.Parameters.AddWithValue("state", state);
        cmd.Parameters.AddWithValue("closed", (object?)e.ClosedWeek ?? DBNull.Value);
        cmd.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
        AddEpisode(cmd, e);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
