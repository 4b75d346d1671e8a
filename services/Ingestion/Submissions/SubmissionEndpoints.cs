using System.Security.Claims;
using EarlyWarning.ServiceDefaults.Security;
using EarlyWarning.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;
using EarlyWarning.Ingestion.Agreements;
using EarlyWarning.ServiceDefaults.Messaging;

namespace EarlyWarning.Ingestion.Submissions;

internal static class SubmissionEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static void MapSubmissionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/submissions");
        group.MapPost("/", SubmitAsync).RequireAuthorization(Policies.Publisher);
        group.MapGet("/{submissionId:guid}", GetAsync).RequireAuthorization(Policies.PublisherOrOperator);
    }

    /// <summary>
    /// Accepts a submission (JSON, CSV or SDMX-CSV). Answers 202 only once its rows and outgoing messages are
    /// committed; a 4xx problem document naming line, field and reason for anything wrong with the input, and
    /// then stores nothing. With an Idempotency-Key, a re-post of the same content answers the original receipt.
    /// The reporting country is the caller's: a publisher speaks only for its own country (403 otherwise).
    /// </summary>
    private static async Task<IResult> SubmitAsync(
        HttpRequest request, ClaimsPrincipal user, SubmissionStore store, TransactionalWork work, DeclaredColumns agreements, IOptions<IngestionOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var limits = options.Value.Limits;
        var query = request.Query;
        var errors = new List<SubmissionError>();
        var callerCountry = user.PublisherCountry()!;
        var country = query["country"].ToString() is { Length: > 0 } c ? c.Trim().ToUpperInvariant() : null;
        if (country is not null && country != callerCountry) return OtherCountry(callerCountry, country);
        int? batchSize = null;
        if (query["batchSize"].ToString() is { Length: > 0 } size)
        {
            if (int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 10_000) batchSize = n;
            else errors.Add(new(0, "batchSize", $"'{ObservationRules.Shorten(size)}' is not a whole number from 1 to 10000"));
        }
        char? delimiter = query["separator"].ToString() switch
        {
            "" => null,
            "," or "comma" => ',',
            ";" or "semicolon" => ';',
            var other => Error(errors, "separator", $"'{ObservationRules.Shorten(other)}' is not ',' (comma) or ';' (semicolon)"),
        };
        var key = request.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length > 0 && (key.Length > 200 || !key.All(ch => ch is >= '!' and <= '~')))
            errors.Add(new(0, IdempotencyKeyHeader, "must be 1 to 200 visible ASCII characters"));
        if (errors.Count > 0) return Rejected(errors);
        if (request.ContentLength > limits.MaximumBodyBytes) return Refused(SubmissionBody.TooLarge(limits.MaximumBodyBytes));

        await using var body = new SubmissionBody(request.Body, limits.MaximumBodyBytes);
        body.AddToHash(request.ContentType ?? "");
        body.AddToHash(country ?? "");
        body.AddToHash(delimiter?.ToString() ?? "");
        var context = new ReadContext(country, callerCountry, delimiter, limits, RowRules.From(limits, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) with
        {
            PersonalData = agreements.For(callerCountry).Patterns ?? [],
        }, agreements);
        IResult? answer = null;
        try
        {
            // The rows stream into the transaction as they are read; it commits only if the whole submission is good.
            // No retry around it: a streamed body cannot be read twice.
            await work.ExecuteAsync(async (connection, transaction, messages) =>
            {
                await using var staging = await SubmissionStaging.BeginAsync(connection, transaction, ct);
                var parsed = await SubmissionReader.ReadAsync(request.ContentType, body, context, ct, staging);
                if (parsed.ReportingCountry is { } stated && stated.Trim().ToUpperInvariant() != callerCountry)
                    throw new RollBack(OtherCountry(callerCountry, stated));
                var hash = body.Hash();
                if (key.Length > 0 && await store.FindByIdempotencyKeyAsync(callerCountry, key, ct) is { } earlier)
                    throw new RollBack(Replay(earlier, hash, key));
                if (!parsed.IsValid) throw new RollBack(Rejected(parsed.Errors));
                var receipt = await SubmissionStore.StoreAsync(connection, transaction, messages, staging, parsed.ReportingCountry!, parsed.Format,
                    batchSize ?? options.Value.BatchSize, key.Length > 0 ? (key, hash) : null, ct);
                PipelineMetrics.ObservationsCommitted("accepted", receipt.ReportingCountry, receipt.Observations);
                answer = Results.Accepted($"/api/submissions/{receipt.SubmissionId}", receipt);
            }, ct);
        }
        catch (RollBack rollBack)
        {
            return rollBack.Answer;
        }
        catch (SubmissionRefusedException ex)
        {
            return Refused(ex);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own refusals of the request body (a client that stops mid-chunk, a bad chunk size).
            return Results.Problem(statusCode: ex.StatusCode, title: "The request body could not be read", detail: ex.Message);
        }
        catch (Exception ex) when (SubmissionStore.IsIdempotencyKeyTaken(ex))
        {
            // Two posts with one key at the same moment: the second found the first's row only at its insert.
            return await store.FindByIdempotencyKeyAsync(callerCountry, key, ct) is { } first ? Replay(first, body.Hash(), key) : Results.Conflict();
        }
        return answer!;
    }

    /// <summary>Ends the request's unit of work without committing it, with the answer to give.</summary>
    private sealed class RollBack(IResult answer) : Exception
    {
        public IResult Answer { get; } = answer;
    }

    private static IResult Replay(StoredSubmission earlier, byte[] hash, string key)
    {
        if (!earlier.ContentSha256.AsSpan().SequenceEqual(hash))
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency-Key already used for other content",
                detail: $"Submission {earlier.Receipt.SubmissionId} was accepted with this {IdempotencyKeyHeader} and different content; use a new key for a new submission.",
                extensions: new Dictionary<string, object?> { ["errors"] = new[] { new SubmissionError(0, IdempotencyKeyHeader, $"'{key}' was used for submission {earlier.Receipt.SubmissionId}") } });
        return Results.Accepted($"/api/submissions/{earlier.Receipt.SubmissionId}", earlier.Receipt);
    }

    private static char? Error(List<SubmissionError> errors, string field, string reason)
    {
        errors.Add(new(0, field, reason));
        return null;
    }

    private static IResult Rejected(IReadOnlyList<SubmissionError> errors) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The submission was rejected; nothing was stored",
            detail: $"{errors.Count} error(s){(errors.Count >= ObservationRules.MaximumErrors ? " (reading stopped at the first " + ObservationRules.MaximumErrors + ")" : "")}",
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    private static IResult Refused(SubmissionRefusedException refusal) =>
        Results.Problem(statusCode: refusal.Status, title: refusal.Title, detail: refusal.Error.Reason,
            extensions: new Dictionary<string, object?> { ["errors"] = new[] { refusal.Error } });

    private static IResult OtherCountry(string callerCountry, string requested) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your reporting country; nothing was stored",
            detail: $"This credential publishes for {callerCountry} only; the submission is for '{ObservationRules.Shorten(requested)}'.",
            extensions: new Dictionary<string, object?> { ["errors"] = new[] { new SubmissionError(0, "reportingCountry", $"is not {callerCountry}, the country of this credential") } });

    /// <summary>A publisher sees only its own country's submissions (others are 404, not 403, so their existence is not disclosed).</summary>
    private static async Task<IResult> GetAsync(Guid submissionId, ClaimsPrincipal user, SubmissionStore store, CancellationToken ct) =>
        await store.GetStatusAsync(submissionId, user.PublisherCountry(), ct) is { } status ? Results.Ok(status) : Results.NotFound();
}
