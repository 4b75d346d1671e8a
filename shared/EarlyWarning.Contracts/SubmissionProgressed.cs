namespace EarlyWarning.Contracts;

/// <summary>
/// A stage finished one batch of a submission. Each stage publishes it from its own outbox, in the transaction
/// of its work; Ingestion collects them so that the publisher can follow its submission, whichever broker or
/// virtual host each stage runs on (the event carries no observation, only counts).
/// </summary>
/// <param name="Stage">anonymized, classified or evaluated.</param>
/// <param name="Observations">Rows of the batch this stage processed.</param>
public sealed record SubmissionProgressed(
    Guid SubmissionId,
    string Stage,
    int BatchNumber,
    int BatchCount,
    int Observations,
    DateTimeOffset At);
