using System.Globalization;
using System.Security.Claims;
using EarlyWarning.Classification.Policy;
using EarlyWarning.ServiceDefaults.Security;
using Npgsql;

namespace EarlyWarning.Classification.Export;

/// <summary>The regional dataset for analysts: SDMX-CSV or JSON, filtered by country, period, category, place and nationality.</summary>
internal static class ExportEndpoints
{
    public static void MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/export", ExportAsync).RequireAuthorization(Policies.Analyst);
        app.MapGet("/api/corridors", CorridorsAsync).RequireAuthorization(Policies.Analyst);
    }

    /// <summary>
    /// Corridors: nationality → crossing (and the neighbouring country it leads from) → reporting country, with the
    /// events counted there, for the same filters as the export. Cells at points without a neighbouring country,
    /// and confidential cells, are left out (their events are not published).
    /// </summary>
    private static async Task<IResult> CorridorsAsync(HttpRequest request, ClaimsPrincipal user, NpgsqlDataSource db, PolicyProvider policies,
        Microsoft.Extensions.Options.IOptions<ClassificationOptions> options, CancellationToken ct)
    {
        var policy = policies.Current;
        var (filter, errors) = Filter(request.Query, policy);
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Invalid corridor filter");
        if (OutsideScope(user, ref filter!) is { } forbidden) return forbidden;
        var limit = options.Value.CorridorCellLimit;
        var cells = await ExportStore.ReadAsync(db, filter!, 0, limit + 1, ct);
        if (cells.Count > limit)
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Too many cells for one corridor query",
                detail: $"The filter matches more than {limit:N0} cells; narrow it by country, period or place.");
        var corridors = cells
            .Where(c => !c.Confidential && policy.PlaceByCode(c.BorderPoint) is { Neighbour: not null })
            .GroupBy(c => (c.Nationality, c.BorderPoint, c.ReportingCountry))
            .Select(g => new
            {
                nationality = g.Key.Nationality,
                from = policy.PlaceByCode(g.Key.BorderPoint)!.Neighbour,
                crossing = g.Key.BorderPoint,
                crossingName = policy.PlaceByCode(g.Key.BorderPoint)!.Name,
                reportingCountry = g.Key.ReportingCountry,
                events = g.Sum(c => c.Value ?? 0),
            })
            .OrderByDescending(c => c.events).ThenBy(c => c.nationality, StringComparer.Ordinal).ThenBy(c => c.crossing, StringComparer.Ordinal)
            .ToList();
        return Results.Ok(corridors);
    }

    /// <summary>
    /// ?format=sdmx-csv (default) or json; ?country=CHL,PER; ?from= and ?to= (a date or an ISO week, 2025-W42);
    /// ?category=; ?place= (a point, a first-level region or a country: every point under it); ?nationality=; ?page= (from
    /// 1; ?pageSize= up to <see cref="ClassificationOptions.ExportPageSize"/>, the default; a full page links to the next).
    /// </summary>
    private static async Task<IResult> ExportAsync(HttpRequest request, HttpResponse response, ClaimsPrincipal user, NpgsqlDataSource db, PolicyProvider policies,
        Microsoft.Extensions.Options.IOptions<ClassificationOptions> options, CancellationToken ct)
    {
        var policy = policies.Current;
        var (filter, errors) = Filter(request.Query, policy);
        var format = request.Query["format"].ToString() is { Length: > 0 } f ? f : "sdmx-csv";
        if (format is not ("sdmx-csv" or "json")) errors["format"] = [$"'{format}' is not sdmx-csv or json"];
        var page = 1;
        if (request.Query["page"].ToString() is { Length: > 0 } p && !(int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) && page >= 1))
            errors["page"] = [$"'{p}' is not a page number (1, 2, …)"];
        var size = options.Value.ExportPageSize;
        if (request.Query["pageSize"].ToString() is { Length: > 0 } s
            && !(int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out size) && size >= 1 && size <= options.Value.ExportPageSize))
            errors["pageSize"] = [$"'{s}' is not a page size from 1 to {options.Value.ExportPageSize}"];
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Invalid export filter");
        if (OutsideScope(user, ref filter!) is { } forbidden) return forbidden;

        var cells = await ExportStore.ReadAsync(db, filter!, (long)(page - 1) * size, size + 1, ct);
        if (cells.Count > size)
        {
            cells.RemoveAt(cells.Count - 1);
            var next = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(request.Path,
                request.Query.Where(q => q.Key != "page").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
                    .Append(new("page", (page + 1).ToString(CultureInfo.InvariantCulture))));
            response.Headers.Link = $"<{next}>; rel=\"next\"";
        }
        return format == "json"
            ? Results.Ok(new { structure = SdmxCsv.StructureId, codeLists = policy.CodeListVersions, observations = cells.Select(c => new
                {
                    refArea = c.ReportingCountry, freq = "W", timePeriod = SdmxCsv.Week(c.Period), borderPoint = c.BorderPoint, nationality = c.Nationality,
                    category = c.Category, direction = c.Direction, vulnerability = c.Vulnerability, sex = c.Sex, age = c.AgeGroup, obsValue = c.Value, obsStatus = "A", confStatus = c.Confidential ? "C" : "F",
                }) })
            : Results.Text(SdmxCsv.Write(cells), "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8");
    }

    /// <summary>Narrows the filter to the analyst's scope; a request naming a country outside it is refused (403), as Alerting does.</summary>
    private static IResult? OutsideScope(ClaimsPrincipal user, ref ExportFilter filter)
    {
        if (user.VisibleCountries() is not { } visible) return null;
        var outside = filter.ReportingCountries.Where(c => !visible.Contains(c)).ToList();
        if (outside.Count > 0)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside your scope",
                detail: $"This credential may see data of {(visible.Count == 0 ? "no country" : string.Join(", ", visible.Order()))} only, not {string.Join(", ", outside)}.");
        filter = filter.Within(visible);
        return null;
    }

    private static (ExportFilter? Filter, Dictionary<string, string[]> Errors) Filter(IQueryCollection query, RegionalPolicy policy)
    {
        var errors = new Dictionary<string, string[]>();
        var countries = Codes(query["country"]);
        foreach (var c in countries.Where(c => !policy.Areas.Codes.ContainsKey(c))) errors["country"] = [$"'{c}' is not an ISO 3166-1 alpha-3 code"];
        var categories = Codes(query["category"]);
        foreach (var c in categories.Where(c => !policy.Categories.Codes.ContainsKey(c))) errors["category"] = [$"'{c}' is not a code of {policy.Categories.Reference}"];
        var nationalities = Codes(query["nationality"]);
        foreach (var n in nationalities.Where(n => !policy.Areas.Codes.ContainsKey(n))) errors["nationality"] = [$"'{n}' is not a code of {policy.Areas.Reference}"];
        var places = new List<string>();
        foreach (var p in Codes(query["place"]))
        {
            var under = policy.PlacesUnder(p);
            if (under.Count == 0) errors["place"] = [$"'{p}' is neither a place, a first-level region nor a country of the gazetteer"];
            places.AddRange(under);
        }
        var from = Period(query["from"], "from", errors);
        var to = Period(query["to"], "to", errors);
        return (errors.Count > 0 ? null : new ExportFilter(countries, from, to, categories, places, nationalities), errors);
    }

    private static List<string> Codes(Microsoft.Extensions.Primitives.StringValues values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => v.ToUpperInvariant()).Distinct().ToList();

    private static DateOnly? Period(Microsoft.Extensions.Primitives.StringValues value, string field, Dictionary<string, string[]> errors)
    {
        var text = value.ToString();
        if (text.Length == 0) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        if (text.Length == 8 && text[4..6] == "-W" && int.TryParse(text[..4], CultureInfo.InvariantCulture, out var year)
            && int.TryParse(text[6..], CultureInfo.InvariantCulture, out var week) && week is >= 1 and <= 53 && week <= ISOWeek.GetWeeksInYear(year))
            return DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
        errors[field] = [$"'{text}' is not a date (yyyy-MM-dd) or an ISO week (yyyy-Www)"];
        return null;
    }
}
