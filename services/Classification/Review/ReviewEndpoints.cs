using EarlyWarning.Classification.Policy;
using EarlyWarning.Classification.Review.Decisions;
using EarlyWarning.Classification.Review.Suggestions;
using EarlyWarning.ServiceDefaults.Security;
using Npgsql;

namespace EarlyWarning.Classification;

/// <summary>One distinct held value, what it holds, and what the review suggests for it.</summary>
internal sealed record HeldValue(string ReportingCountry, string Kind, string Written, long Cells, long Events, DateTimeOffset FirstHeld, DateTimeOffset LastHeld,
    string Status, string? Why, IReadOnlyList<Suggestion> Suggestions);

/// <summary>Operators' and stewards' view of what does not map, their decisions, and the replay once a mapping is added.</summary>
internal static class ReviewEndpoints
{
    public static void MapReviewEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/review/unmapped", UnmappedAsync).RequireAuthorization(Policies.Operator);
        app.MapPost("/api/review/replay", ReplayAsync).RequireAuthorization(Policies.Operator);
        app.MapPost("/api/review/decisions", DecideAsync).RequireAuthorization(Policies.Operator);
        app.MapGet("/api/review/decisions", DecisionsAsync).RequireAuthorization(Policies.Operator);
        app.MapPost("/api/review/tables/{country}", StartTableAsync).RequireAuthorization(Policies.Operator);
        app.MapGet("/api/policy", Policy).RequireAuthorization(Policies.Operator);
    }

    /// <summary>Every distinct unmapped value as written, with the cells and events it holds and the review's ranked suggestions (?country=).</summary>
    private static async Task<IResult> UnmappedAsync(NpgsqlDataSource db, SuggestionCache suggestions, string? country, CancellationToken ct)
    {
        if (Country(country) is { } problem) return problem;
        var suggester = suggestions.Current;
        return Results.Ok((await HeldCellStore.UnmappedAsync(db, country?.Trim().ToUpperInvariant(), ct)).Select(v =>
        {
            var review = suggester.Review(v.ReportingCountry, v.Kind, v.Written);
            return new HeldValue(v.ReportingCountry, v.Kind, v.Written, v.Cells, v.Events, v.FirstHeld, v.LastHeld, review.Status, review.Why, review.Suggestions);
        }).ToList());
    }

    /// <summary>
    /// Writes a steward's decisions into the policy files as minimal edits, reloads the policy and replays the
    /// country's held cells; with dryRun, only shows the diff. A decision the policy would refuse is refused with
    /// the file and field named, and nothing is written.
    /// </summary>
    private static async Task<IResult> DecideAsync(DecisionsRequest request, PolicyDecisions decisions, HttpContext http, CancellationToken ct)
    {
        if (Country(request.Country ?? "") is { } problem) return problem;
        var by = http.User.FindFirst("name")?.Value ?? http.User.FindFirst(EarlyWarningClaims.Subject)?.Value ?? "unknown";
        try
        {
            return Results.Ok(await decisions.ApplyAsync(request, by, ct));
        }
        catch (DecisionRefused e)
        {
            return Refused("The decision is refused; nothing was written", e);
        }
    }

    /// <summary>The decisions taken through the review, newest first, with the diff each wrote (?country=).</summary>
    private static async Task<IResult> DecisionsAsync(NpgsqlDataSource db, string? country, CancellationToken ct)
    {
        if (Country(country) is { } problem) return problem;
        return Results.Ok(await DecisionStore.ListAsync(db, country?.Trim().ToUpperInvariant(), ct));
    }

    /// <summary>Starts the mapping table of a country that has none, from the template (?dryRun=true shows it only).</summary>
    private static async Task<IResult> StartTableAsync(string country, bool? dryRun, PolicyProvider policies, PolicyDecisions decisions, CancellationToken ct)
    {
        if (Country(country) is { } problem) return problem;
        var code = country.Trim().ToUpperInvariant();
        var policy = policies.Current;
        if (!policy.Areas.Codes.ContainsKey(code))
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unknown country", detail: $"'{code}' is not a code of {policy.Areas.Reference}");
        if (File.Exists(Path.Combine(policies.Directory, "mappings", $"{code}.yaml")))
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The country has a mapping table", detail: $"mappings/{code}.yaml exists; add to it through decisions");
        try
        {
            var change = await decisions.StartTableAsync(code, dryRun == true, ct);
            return Results.Ok(new { file = change.File, dryRun = dryRun == true, diff = change.Diff });
        }
        catch (DecisionRefused e)
        {
            return Refused("The template is invalid; nothing was written", e);
        }
    }

    /// <summary>Reloads the policy files (an invalid one is refused, naming file and field) and replays the held cells (?country=).</summary>
    private static async Task<IResult> ReplayAsync(PolicyProvider policies, HeldCellReplay replay, NpgsqlDataSource db, string? country, CancellationToken ct)
    {
        if (Country(country) is { } problem) return problem;
        try
        {
            await PolicyProvider.RecordAsync(db, policies.Reload(), ct);
        }
        catch (PolicyException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "A policy file is invalid; nothing was replayed",
                detail: e.Message, extensions: new Dictionary<string, object?> { ["file"] = e.File, ["field"] = e.Field, ["reason"] = e.Reason });
        }
        return Results.Ok(await replay.ReplayAsync(country?.Trim().ToUpperInvariant(), ct));
    }

    /// <summary>The policy in force: code-list versions, mapping tables and the digest recorded on every harmonized cell.</summary>
    private static IResult Policy(PolicyProvider policies)
    {
        var policy = policies.Current;
        return Results.Ok(new
        {
            digest = policy.Digest,
            directory = policies.Directory,
            codeLists = policy.CodeLists.Select(c => new { c.Agency, c.Id, c.Version, c.ValidFrom, c.ValidTo, codes = c.Codes.Count }),
            mappingTables = policy.Tables.Values.OrderBy(t => t.Country, StringComparer.Ordinal)
                .Select(t => new { t.Country, t.Version, t.ValidFrom, nationalCategories = t.Rules.Count }),
            places = policy.Places.Count,
        });
    }

    private static IResult Refused(string title, DecisionRefused e) =>
        Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: title,
            detail: e.Message, extensions: new Dictionary<string, object?> { ["file"] = e.File, ["field"] = e.Field, ["reason"] = e.Reason });

    private static IResult? Country(string? country) =>
        country is null || country.Trim() is { Length: 3 } c && c.All(char.IsAsciiLetter)
            ? null
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid country", detail: $"'{country}' is not an ISO 3166-1 alpha-3 code");
}
