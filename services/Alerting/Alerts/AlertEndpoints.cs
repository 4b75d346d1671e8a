using System.Globalization;
using System.Security.Claims;
using System.Text;
using EarlyWarning.ServiceDefaults.Security;
using Npgsql;

namespace EarlyWarning.Alerting.Alerts;

internal static class AlertEndpoints
{
    public static void MapAlertEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/api/alerts", ListAsync).RequireAuthorization(Policies.Analyst);

    /// <summary>
    /// The alerts, newest week first, or the strongest first (?order=strength: observed over threshold);
    /// ?format=text gives a table for a terminal. An analyst sees only the reporting countries of its scope.
    /// </summary>
    private static async Task<IResult> ListAsync(ClaimsPrincipal user, NpgsqlDataSource db, string? country, string? format, string? order, int? limit, CancellationToken ct)
    {
        var visible = user.VisibleCountries();
        var requested = country?.Trim().ToUpperInvariant();
        if (requested is not null && visible is not null && !visible.Contains(requested))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside your scope",
                detail: $"This credential may see alerts of {(visible.Count == 0 ? "no country" : string.Join(", ", visible.Order()))} only.");
        var orderBy = order == "strength" ? "observed / nullif(upper_bound, 0) DESC NULLS FIRST" : "period DESC, observed DESC";
        await using var cmd = db.CreateCommand(
            $"""
            SELECT alert_id, reporting_country, border_point, nationality, category, period, observed, expected, upper_bound, algorithm, detected_at, trace_id,
                   withdrawn_at, withdrawn_reason
            FROM alerts
            WHERE (@country::text IS NULL OR reporting_country = @country)
              AND (@visible::text[] IS NULL OR reporting_country = ANY(@visible))
            ORDER BY {orderBy} LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("country", NpgsqlTypes.NpgsqlDbType.Text, (object?)requested ?? DBNull.Value);
        cmd.Parameters.AddWithValue("visible", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, (object?)visible?.ToArray() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("limit", Math.Clamp(limit ?? 100, 1, 10_000));
        var alerts = new List<AlertView>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                alerts.Add(new AlertView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetFieldValue<DateOnly>(5), reader.GetInt64(6), reader.GetDouble(7), reader.GetDouble(8), reader.GetString(9),
                    reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                    reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12), reader.IsDBNull(13) ? null : reader.GetString(13)));

        return format == "text" ? Results.Text(AsTable(alerts), "text/plain; charset=utf-8") : Results.Ok(alerts);
    }

    private static string AsTable(IReadOnlyList<AlertView> alerts)
    {
        if (alerts.Count == 0) return "No alerts.\n";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"week of",-10}  {"country",-7}  {"border point",-28}  {"nationality",-11}  {"category",-22}  {"observed",8}  {"expected",8}  {"threshold",9}  vs expected");
        foreach (var a in alerts)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{a.Period:yyyy-MM-dd}  {a.ReportingCountry,-7}  {a.BorderPoint,-28}  {a.Nationality,-11}  {a.Category,-22}  {a.Observed,8}  {a.Expected,8:F1}  {a.UpperBound,9:F1}  {(a.Expected > 0 ? a.Observed / a.Expected : double.PositiveInfinity),4:F1}x");
        return text.ToString();
    }

    private sealed record AlertView(Guid AlertId, string ReportingCountry, string BorderPoint, string Nationality, string Category,
        DateOnly Period, long Observed, double Expected, double UpperBound, string Algorithm, DateTimeOffset DetectedAt, string? TraceId,
        DateTimeOffset? WithdrawnAt, string? WithdrawnReason);
}
