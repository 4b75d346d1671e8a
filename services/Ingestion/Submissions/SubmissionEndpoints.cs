using System.Security.Claims;
using EarlyWarning.ServiceDefaults.Security;
using EarlyWarning.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EarlyWarning.Ingestion.Submissions;

internal static class SubmissionEndpoints
{
    public static void MapSubmissionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/submissions");
        group.MapPost("/", SubmitAsync).RequireAuthorization(Policies.Publisher);
        group.MapGet("/{submissionId:guid}", GetAsync).RequireAuthorization(Policies.PublisherOrOperator);
    }

    /// <summary>
    /// Accepts a submission (JSON or CSV). Answers 202 only once its rows and outgoing messages are
    /// committed; 400 with every error (line, field, reason) when any row is wrong, and then stores nothing.
    /// The reporting country is the caller's: a publisher speaks only for its own country (403 otherwise).
    /// </summary>
    private static async Task<IResult> SubmitAsync(
        HttpRequest request, ClaimsPrincipal user, string? country, int? batchSize,
        SubmissionStore store, IOptions<IngestionOptions> options, CancellationToken ct)
    {
        var callerCountry = user.PublisherCountry()!;
        var requested = country?.Trim().ToUpperInvariant();
        if (requested is not null && requested != callerCountry) return OtherCountry(callerCountry, requested);
        var parsed = await SubmissionReader.ReadAsync(request.ContentType, request.Body, requested, ct);
        if (parsed is null)
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: $"Send one of: {string.Join(", ", SubmissionReader.SupportedMediaTypes)}.");
        if (parsed.ReportingCountry is not null && parsed.ReportingCountry.Trim().ToUpperInvariant() != callerCountry)
            return OtherCountry(callerCountry, parsed.ReportingCountry);
        if (!parsed.IsValid)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The submission was rejected; nothing was stored",
                detail: $"{parsed.Errors.Count} error(s){(parsed.Errors.Count >= ObservationRules.MaximumErrors ? " (reading stopped at the first " + ObservationRules.MaximumErrors + ")" : "")}",
                extensions: new Dictionary<string, object?> { ["errors"] = parsed.Errors });
        if (parsed.Observations.Count > options.Value.MaximumObservations)
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Submission too large",
                detail: $"{parsed.Observations.Count} rows; at most {options.Value.MaximumObservations} per submission.");

        var size = Math.Clamp(batchSize ?? options.Value.BatchSize, 1, 10_000);
        var receipt = await store.AcceptAsync(parsed.ReportingCountry!, parsed.Format, parsed.Observations, size, ct);
        PipelineMetrics.ObservationsCommitted("accepted", parsed.ReportingCountry!, parsed.Observations.Count);
        return Results.Accepted($"/api/submissions/{receipt.SubmissionId}", receipt);
    }

    private static IResult OtherCountry(string callerCountry, string requested) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your reporting country; nothing was stored",
            detail: $"This credential publishes for {callerCountry} only; the submission is for '{requested}'.");

    /// <summary>A publisher sees only its own country's submissions (others are 404, not 403, so their existence is not disclosed).</summary>
    private static async Task<IResult> GetAsync(Guid submissionId, ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT reporting_country, observation_count, batch_count, accepted_at, trace_id,
                   (SELECT count(*) FROM outbox o WHERE o.dispatched_at IS NULL) AS pending_messages
            FROM submissions WHERE submission_id = @id AND (@country::text IS NULL OR reporting_country = @country)
            """);
        cmd.Parameters.AddWithValue("id", submissionId);
        cmd.Parameters.AddWithValue("country", NpgsqlTypes.NpgsqlDbType.Text, (object?)user.PublisherCountry() ?? DBNull.Value);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return Results.NotFound();
        return Results.Ok(new
        {
            submissionId,
            reportingCountry = reader.GetString(0),
            observations = reader.GetInt32(1),
            batches = reader.GetInt32(2),
            acceptedAt = reader.GetFieldValue<DateTimeOffset>(3),
            traceId = reader.IsDBNull(4) ? null : reader.GetString(4),
            outboxPending = reader.GetInt64(5),
        });
    }
}
