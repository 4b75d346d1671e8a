using EarlyWarning.Classification.Policy;
using EarlyWarning.ServiceDefaults.Security;
using Npgsql;

namespace EarlyWarning.Classification;

/// <summary>Operators' view of what does not map, and the replay once a mapping is added.</summary>
internal static class ReviewEndpoints
{
    public static void MapReviewEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/review/unmapped", UnmappedAsync).RequireAuthorization(Policies.Operator);
        app.MapPost("/api/review/replay", ReplayAsync).RequireAuthorization(Policies.Operator);
        app.MapGet("/api/policy", Policy).RequireAuthorization(Policies.Operator);
    }

    /// <summary>Every distinct unmapped value as written, with the number of cells and events it holds (?country=).</summary>
    private static async Task<IResult> UnmappedAsync(NpgsqlDataSource db, string? country, CancellationToken ct)
    {
        if (Country(country) is { } problem) return problem;
        return Results.Ok(await HeldCellStore.UnmappedAsync(db, country?.Trim().ToUpperInvariant(), ct));
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

    private static IResult? Country(string? country) =>
        country is null || country.Trim() is { Length: 3 } c && c.All(char.IsAsciiLetter)
            ? null
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid country", detail: $"'{country}' is not an ISO 3166-1 alpha-3 code");
}
