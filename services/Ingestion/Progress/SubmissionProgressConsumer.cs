using EarlyWarning.Contracts;
using MassTransit;
using Npgsql;

namespace EarlyWarning.Ingestion.Progress;

/// <summary>
/// Records how far each batch of a submission has gone: the progress events of the later stages, and the
/// faults MassTransit publishes when a batch fails for good at one of them. Idempotent by batch and stage.
/// </summary>
internal sealed class SubmissionProgressConsumer(NpgsqlDataSource db) :
    IConsumer<SubmissionProgressed>,
    IConsumer<Fault<ObservationsSubmitted>>,
    IConsumer<Fault<ObservationsAnonymized>>,
    IConsumer<Fault<ObservationsHarmonized>>
{
    public Task Consume(ConsumeContext<SubmissionProgressed> context) =>
        RecordAsync(context.Message.SubmissionId, context.Message.Stage, context.Message.BatchNumber, context.Message.BatchCount, context.Message.Observations,
            failed: false, reason: null, context.Message.At, context.CancellationToken);

    public Task Consume(ConsumeContext<Fault<ObservationsSubmitted>> context) =>
        FailedAsync(context.Message, "anonymized", context.Message.Message.SubmissionId, context.Message.Message.BatchNumber, context.Message.Message.BatchCount, context.Message.Message.Observations?.Count, context.CancellationToken);

    public Task Consume(ConsumeContext<Fault<ObservationsAnonymized>> context) =>
        FailedAsync(context.Message, "classified", context.Message.Message.SubmissionId, context.Message.Message.BatchNumber, context.Message.Message.BatchCount, context.Message.Message.Observations?.Count, context.CancellationToken);

    public Task Consume(ConsumeContext<Fault<ObservationsHarmonized>> context) =>
        FailedAsync(context.Message, "evaluated", context.Message.Message.SubmissionId, context.Message.Message.BatchNumber, context.Message.Message.BatchCount, context.Message.Message.Observations?.Count, context.CancellationToken);

    private Task FailedAsync(Fault fault, string stage, Guid submissionId, int batch, int batchCount, int? observations, CancellationToken ct)
    {
        var reason = fault.Exceptions?.FirstOrDefault() is { } ex ? $"{ex.ExceptionType}: {ex.Message}" : "failed";
        return RecordAsync(submissionId, stage, batch, batchCount, observations ?? 0, failed: true, reason, DateTime.SpecifyKind(fault.Timestamp, DateTimeKind.Utc), ct);
    }

    private async Task RecordAsync(Guid submissionId, string stage, int batch, int batchCount, int observations, bool failed, string? reason, DateTimeOffset at, CancellationToken ct)
    {
        // A success replaces an earlier failure (the batch was replayed); a failure never hides a success.
        await using var cmd = db.CreateCommand(
            """
            INSERT INTO submission_progress (submission_id, stage, batch_number, batch_count, observations, failed, reason, reported_at)
            VALUES (@id, @stage, @batch, @count, @observations, @failed, @reason, @at)
            ON CONFLICT (submission_id, stage, batch_number) DO UPDATE SET
                batch_count = excluded.batch_count, observations = excluded.observations, failed = excluded.failed, reason = excluded.reason, reported_at = excluded.reported_at
            WHERE submission_progress.failed
            """);
        cmd.Parameters.AddWithValue("id", submissionId);
        cmd.Parameters.AddWithValue("stage", stage);
        cmd.Parameters.AddWithValue("batch", batch);
        cmd.Parameters.AddWithValue("count", batchCount);
        cmd.Parameters.AddWithValue("observations", observations);
        cmd.Parameters.AddWithValue("failed", failed);
        cmd.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
        cmd.Parameters.AddWithValue("at", at);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
