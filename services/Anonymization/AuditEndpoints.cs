namespace EarlyWarning.Anonymization;

internal static class AuditEndpoints
{
    /// <summary>
    /// The audit for the publishing authority: which agreement (id, version) each submission got and what it did.
    /// </summary>
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/submissions/{id:guid}/audit", async (Guid id, SubmissionStore store, CancellationToken ct) =>
            await store.GetAuditAsync(id, ct) is { } audit
                ? Results.Ok(audit)
                : Results.Problem(statusCode: 404, title: "No audit for this submission",
                    detail: "It was never submitted, or not all of its batches have reached Anonymization yet."));
        app.MapGet("/api/audit", async (string? country, int? limit, SubmissionStore store, CancellationToken ct) =>
            country is { Length: 3 }
                ? Results.Ok(await store.ListAuditsByCountryAsync(country, Math.Clamp(limit ?? 100, 1, 10_000), ct))
                : Results.Problem(statusCode: 400, title: "country is required", detail: "Give ?country= as an ISO 3166-1 alpha-3 code."));
    }
}
