using EarlyWarning.ServiceDefaults.Telemetry;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using EarlyWarning.Classification.Mapping;
using EarlyWarning.Classification.Policy;
using EarlyWarning.Contracts;
using EarlyWarning.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Classification;

/// <summary>Maps an anonymized batch to the regional standard, stores it, holds what does not map, and passes the rest on to Alerting.</summary>
internal sealed class ObservationsAnonymizedConsumer(
    TransactionalWork work,
    PolicyProvider policies,
    IOptions<ClassificationOptions> options,
    ILogger<ObservationsAnonymizedConsumer> logger) : IConsumer<ObservationsAnonymized>
{
    public async Task Consume(ConsumeContext<ObservationsAnonymized> context)
    {
        var batch = context.Message;
        EnsureValid(batch);
        var classified = Classifier.Classify(batch.ReportingCountry, batch.Observations, policies.Current, options.Value.UnlistedPlaces);
        var traceId = Activity.Current?.TraceId.ToString();

        var processed = await work.ExecuteOnceAsync(context.RequireMessageId(), nameof(ObservationsAnonymizedConsumer),
            async (connection, _, messages) =>
            {
                await HarmonizedStore.WriteAsync(connection, batch, classified, traceId, replayed: false, context.CancellationToken);
                // A batch whose every cell is held is passed on empty (its cells follow when replayed): Alerting counts it
                // among its release's messages, and judges the release's sums once all of them are in.
                messages.Add(new ObservationsHarmonized(batch.SubmissionId, batch.ReportingCountry, batch.BatchNumber,
                    batch.BatchCount, batch.AcceptedAt, classified.Harmonized.Select(h => h.Observation).ToList()));
                messages.Add(new SubmissionProgressed(batch.SubmissionId, "classified", batch.BatchNumber, batch.BatchCount,
                    batch.Observations.Count, DateTimeOffset.UtcNow));
            }, context.CancellationToken);

        if (!processed)
        {
            logger.LogInformation("Batch {Batch}/{Count} of submission {Submission} was already classified; redelivery ignored",
                batch.BatchNumber, batch.BatchCount, batch.SubmissionId);
            return;
        }
        ClassificationMetrics.Harmonized.Add(classified.Harmonized.Count, new KeyValuePair<string, object?>("country", batch.ReportingCountry));
        foreach (var (value, cells) in classified.UnmappedValues)
            ClassificationMetrics.Unmapped.Add(cells, new("country", batch.ReportingCountry), new("kind", value.Kind));
        if (classified.Held.Count > 0)
            logger.LogInformation("Batch {Batch}/{Count} of submission {Submission}: {Held} cells held for review ({Values})",
                batch.BatchNumber, batch.BatchCount, batch.SubmissionId, classified.Held.Count,
                string.Join(", ", classified.UnmappedValues.Select(v => $"{v.Value.Kind} #{v.Value.Fingerprint} x{v.Cells}")));
        PipelineMetrics.ObservationsCommitted("harmonized", batch.ReportingCountry, classified.Harmonized.Count);
        PipelineMetrics.Reached("harmonized", batch.AcceptedAt);
    }

    private static void EnsureValid(ObservationsAnonymized batch)
    {
        if (batch.Observations is null) throw new InvalidBatchException("the batch has no observations list");
        if (batch.ReportingCountry is not { Length: 3 }) throw new InvalidBatchException($"reporting country '{batch.ReportingCountry}' is not an ISO alpha-3 code");
        foreach (var row in batch.Observations)
        {
            if (row is null) throw new InvalidBatchException("the batch contains a null observation");
            if (row.Count < 0) throw new InvalidBatchException($"line {row.Line}: negative count {row.Count}");
            // A deleted cell carries no count: it no longer counts anywhere.
            if (!row.Deleted && row.Suppressed != (row.Count is null)) throw new InvalidBatchException($"line {row.Line}: a suppressed cell must have no count, and only a suppressed one");
            if (string.IsNullOrWhiteSpace(row.BorderPoint) || string.IsNullOrWhiteSpace(row.Nationality) || string.IsNullOrWhiteSpace(row.Category))
                throw new InvalidBatchException($"line {row.Line}: border point, nationality and category are required");
        }
    }
}

internal static class ClassificationMetrics
{
    private static readonly Meter Meter = new("EarlyWarning.Classification");
    public static readonly Counter<long> Harmonized = Meter.CreateCounter<long>("earlywarning.classification.observations");
    /// <summary>Cells held for review, by the kind of value that did not map (a cell with two unmapped values counts for each).</summary>
    public static readonly Counter<long> Unmapped = Meter.CreateCounter<long>("earlywarning.classification.unmapped_codes");
    public static readonly Counter<long> Replayed = Meter.CreateCounter<long>("earlywarning.classification.replayed_cells");
}
