using EarlyWarning.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EarlyWarning.Ingestion.Submissions;

internal static class SubmissionEndpoints
{
    public static void MapSubmissionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/submissions");
        group.MapPost("/", SubmitAsync);
        group.MapGet("/{submissionId:guid}", GetAsync);
    }

    /// <summary>
    /// Accepts a submission (JSON or CSV). Answers 202 only once its rows and outgoing messages are
    /// committed; 400 with every error (line, field, reason) when any row is wrong, and then stores nothing.
    /// </summary>
    private static async Task<IResult> SubmitAsync(
        HttpRequest request, string? country, int? batchSize,
        SubmissionStore store, IOptions<IngestionOptions> options, CancellationToken ct)
    {
        var parsed = await SubmissionReader.ReadAsync(request.ContentType, request.Body, country?.Trim().ToUpperInvariant(), ct);
        if (parsed is null)
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: $"Send one of: {string.Join(", ", SubmissionReader.SupportedMediaTypes)}.");
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

    private static async Task<IResult> GetAsync(Guid submissionId, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT reporting_country, observation_count, batch_count, accepted_at, trace_id,
                   (SELECT count(*) FROM outbox o WHERE o.dispatched_at IS NULL) AS pending_messages
            FROM submissions WHERE submission_id = @id
            """);
        cmd.Parameters.AddWithValue("id", submissionId);
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
