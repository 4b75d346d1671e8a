using EarlyWarning.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EarlyWarning.ServiceDefaults.Operations;

internal static class OperatorEndpoints
{
    /// <summary>
    /// GET /api/operator/failed-messages lists what this service parked in its error and dead-letter queues,
    /// with the reasons; POST /api/operator/failed-messages/replay (?messageId=) sends them back to their queue.
    /// </summary>
    public static void MapOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operator/failed-messages").RequireAuthorization(Policies.Operator);
        group.MapGet("/", async (FailedMessages failed, CancellationToken ct) => Results.Ok(await failed.ListAsync(ct)));
        group.MapPost("/replay", async (string? messageId, FailedMessages failed, CancellationToken ct) =>
        {
            // MassTransit's message ids are GUIDs: anything else names no message, and is not sent to the broker.
            if (messageId is not null && !Guid.TryParse(messageId, out _))
                return Results.Problem(statusCode: 400, title: "Invalid message id", detail: "messageId is a message's id (a GUID), as listed.");
            var result = await failed.ReplayAsync(messageId, ct);
            return messageId is not null && result.Replayed.Count == 0
                ? Results.Problem(statusCode: 404, title: "No such failed message", detail: $"No parked message has the id {messageId}.")
                : Results.Ok(result);
        });
    }
}
