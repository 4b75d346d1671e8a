using System.Globalization;
using System.Security.Claims;
using System.Text;
using EarlyWarning.Alerting.Detection;
using EarlyWarning.Detection.Surveillance;
using EarlyWarning.ServiceDefaults.Security;
using Npgsql;

namespace EarlyWarning.Alerting.Alerts;

internal static class AlertEndpoints
{
    private static readonly string[] States = ["active", "closed", "withdrawn"];
    private static readonly string[] Severities = ["Minor", "Moderate", "Severe", "Extreme"];

    public static void MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/alerts").RequireAuthorization(Policies.Analyst);
        alerts.MapGet("", ListAsync);
        alerts.MapGet("/{id:guid}", GetAsync);
        alerts.MapGet("/{id:guid}/series", SeriesAsync);
        alerts.MapGet("/{id:guid}/breakdown", BreakdownAsync);
        app.MapJudgingSpeedEndpoint();
    }

    /// <summary>
    /// The alerts, newest first, or the strongest first (?order=strength: observed over bound), filtered by
    /// country, borderPoint, nationality, category, severity, state and the weeks they cover (from, to);
    /// ?format=text gives a table for a terminal. An analyst sees only the reporting countries of its scope.
    /// </summary>
    private static async Task<IResult> ListAsync(ClaimsPrincipal user, NpgsqlDataSource db, string? country, string? borderPoint, string? nationality,
        string? category, string? severity, string? state, string? from, string? to, string? format, string? order, int? limit, string? level,
        CancellationToken ct)
    {
        var visible = user.VisibleCountries();
        var requested = country?.Trim().ToUpperInvariant();
        if (requested is not null && visible is not null && !visible.Contains(requested))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside your scope",
                detail: $"This credential may see alerts of {(visible.Count == 0 ? "no country" : string.Join(", ", visible.Order()))} only.");
        var errors = new List<string>();
        var severityName = severity is null ? null : Severities.FirstOrDefault(s => s.Equals(severity.Trim(), StringComparison.OrdinalIgnoreCase));
        if (severity is not null && severityName is null) errors.Add($"severity '{severity}' is not one of {string.Join(", ", Severities)}");
        var stateName = state?.Trim().ToLowerInvariant();
        if (stateName is not null && !States.Contains(stateName)) errors.Add($"state '{state}' is not one of {string.Join(", ", States)}");
        var fromWeek = Week(from, "from", errors);
        var toWeek = Week(to, "to", errors);
        string? levelName = null;
        if (level is not null)
        {
            if (SeriesLevel.TryParse(level, out var parsed, out var problem)) levelName = parsed.Name;
            else errors.Add($"level {problem}");
        }
        if (errors.Count > 0)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid filter", detail: string.Join("; ", errors));

        var list = await AlertQueries.ListAsync(db, new AlertFilter(requested, borderPoint?.Trim(), nationality?.Trim().ToUpperInvariant(), category?.Trim(),
            severityName, stateName, fromWeek, toWeek, visible, order == "strength", Math.Clamp(limit ?? 100, 1, 10_000), levelName), ct);
        return format == "text" ? Results.Text(AsTable(list), "text/plain; charset=utf-8") : Results.Ok(list);
    }

    /// <summary>The alert and every revision of it (Alert, Update, Cancel), each referencing the one before.</summary>
    private static async Task<IResult> GetAsync(ClaimsPrincipal user, NpgsqlDataSource db, Guid id, CancellationToken ct)
    {
        if (await AlertQueries.FindAsync(db, id, user.VisibleCountries(), ct) is not { } found) return NotFound(id);
        return Results.Ok(new { alert = found.Alert, revisions = await AlertQueries.RevisionsAsync(db, id, ct) });
    }

    /// <summary>
    /// The series behind the alert, observed, expected and bound per week (26 weeks before the surge to 8 after
    /// its last week, or ?from= and ?to=), as JSON or, with ?format=csv, CSV for plotting.
    /// </summary>
    private static async Task<IResult> SeriesAsync(ClaimsPrincipal user, NpgsqlDataSource db, Guid id, string? from, string? to, string? format, CancellationToken ct)
    {
        var errors = new List<string>();
        var fromWeek = Week(from, "from", errors);
        var toWeek = Week(to, "to", errors);
        if (errors.Count > 0) return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid range", detail: string.Join("; ", errors));
        if (await AlertQueries.FindAsync(db, id, user.VisibleCountries(), ct) is not { } found) return NotFound(id);
        var (alert, key) = found;
        var weeks = await AlertQueries.SeriesAsync(db, key, fromWeek ?? alert.Period.AddDays(-7 * 26),
            toWeek ?? (alert.ClosedWeek ?? alert.LastSurgeWeek).AddDays(7 * 8), ct);
        var rows = weeks.Select(v => new
        {
            week = v.Week, observed = v.Observed, expected = v.Expected, upperBound = v.UpperBound, surge = v.Surge,
            inAlert = v.Week >= alert.Period && v.Week <= (alert.ClosedWeek ?? alert.LastSurgeWeek), algorithm = v.Algorithm, reason = v.Reason,
        }).ToList();
        if (format != "csv") return Results.Ok(new { alertId = id, series = rows });
        var csv = new StringBuilder("week,observed,expected,upper_bound,surge,in_alert,algorithm\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture,
                $"{r.week:yyyy-MM-dd},{r.observed},{r.expected:0.###},{r.upperBound:0.###},{(r.surge ? 1 : 0)},{(r.inAlert ? 1 : 0)},{r.algorithm}\n");
        return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    /// <summary>
    /// What makes the signal: the released cells of the alerted series in its weeks by nationality, national category,
    /// sex, age group and vulnerability (suppressed cells counted, without a count), and the series of the other
    /// watched levels around it as judged from four weeks before it: higher (is the country total surging too?)
    /// and lower (which border points or nationalities carry it), those surging first.
    /// </summary>
    private static async Task<IResult> BreakdownAsync(ClaimsPrincipal user, NpgsqlDataSource db, SeriesJudges judges, Guid id, CancellationToken ct)
    {
        var visible = user.VisibleCountries();
        if (await AlertQueries.FindAsync(db, id, visible, ct) is not { } found) return NotFound(id);
        var alert = found.Alert;
        var end = alert.ClosedWeek ?? alert.LastSurgeWeek;
        var (higher, lower) = await AlertQueries.RelatedAsync(db, alert.Series(), judges.Levels, visible, alert.Period.AddDays(-7 * 4), end, 50, ct);
        return Results.Ok(new
        {
            alert,
            cells = await AlertQueries.BreakdownAsync(db, alert.Series(), alert.Period, end, ct),
            higherLevels = higher,
            lowerLevels = lower,
        });
    }

    private static IResult NotFound(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such alert", detail: $"No alert {id} in the countries this credential may see.");

    private static DateOnly? Week(string? text, string name, List<string> errors)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors.Add($"{name} '{text}' is not a date (yyyy-MM-dd)");
        return null;
    }

    private static string AsTable(IReadOnlyList<AlertView> alerts)
    {
        if (alerts.Count == 0) return "No alerts.\n";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"level",-32}  {"from week",-10}  {"weeks",5}  {"state",-9}  {"severity",-8}  {"country",-7}  {"border point",-28}  {"nationality",-11}  {"category",-22}  {"peak",8}  {"expected",8}  {"bound",8}  vs expected  detector");
        foreach (var a in alerts)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{a.Level,-32}  {a.Period:yyyy-MM-dd}  {a.WeeksAbove,5}  {a.State,-9}  {a.Severity,-8}  {a.ReportingCountry,-7}  {a.BorderPoint,-28}  {a.Nationality,-11}  {a.Category,-22}  {a.Observed,8}  {a.Expected,8:F1}  {a.UpperBound,8:F1}  {(a.Expected > 0 ? a.Observed / a.Expected : double.PositiveInfinity),10:F1}x  {a.Algorithm}");
        return text.ToString();
    }
}
