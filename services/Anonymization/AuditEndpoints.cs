using System.Security.Claims;
using EarlyWarning.ServiceDefaults.Security;

namespace EarlyWarning.Anonymization;

internal static class AuditEndpoints
{
    /// <summary>
    /// The audit for the publishing authority (and operators): which agreement (id, version) each submission
    /// got and what it did. A publisher sees only its own country's submissions; others are 404, as in Ingestion.
    /// </summary>
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/submissions/{id:guid}/audit", async (Guid id, ClaimsPrincipal user, SubmissionStore store, CancellationToken ct) =>
            await store.GetAuditAsync(id, ct) is { } audit && (user.PublisherCountry() is not { } own || own == audit.ReportingCountry)
                ? Results.Ok(audit)
                : Results.Problem(statusCode: 404, title: "No audit for this submission",
                    detail: "It is not yours, was never submitted, or not all of its batches have reached Anonymization yet."))
            .RequireAuthorization(Policies.PublisherOrOperator);
        app.MapGet("/api/audit", async (ClaimsPrincipal user, string? country, int? limit, SubmissionStore store, CancellationToken ct) =>
        {
            var requested = user.PublisherCountry() ?? country?.Trim().ToUpperInvariant();
            return requested is { Length: 3 }
                ? Results.Ok(await store.ListAuditsByCountryAsync(requested, Math.Clamp(limit ?? 100, 1, 10_000), ct))
                : Results.Problem(statusCode: 400, title: "country is required", detail: "Give ?country= as an ISO 3166-1 alpha-3 code.");
        }).RequireAuthorization(Policies.PublisherOrOperator);
    }
}
