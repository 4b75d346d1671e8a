using EarlyWarning.ServiceDefaults.Telemetry;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using EarlyWarning.Classification.Mapping;
using EarlyWarning.Contracts;
using EarlyWarning.ServiceDefaults.Messaging;
using MassTransit;

namespace EarlyWarning.Classification;

/// <summary>Maps an anonymized batch to the regional standard, stores it and passes it on to Alerting.</summary>
internal sealed class ObservationsAnonymizedConsumer(
    TransactionalWork work,
    MappingRepository mappings,
    ILogger<ObservationsAnonymizedConsumer> logger) : IConsumer<ObservationsAnonymized>
{
    private static readonly Meter Meter = new("EarlyWarning.Classification");
    private static readonly Counter<long> UnmappedCodes = Meter.CreateCounter<long>("earlywarning.classification.unmapped_codes");
    private static readonly Counter<long> Harmonized = Meter.CreateCounter<long>("earlywarning.classification.observations");

    public async Task Consume(ConsumeContext<ObservationsAnonymized> context)
    {
        var batch = context.Message;
        EnsureValid(batch);
        var classified = Classifier.Classify(batch.ReportingCountry, batch.Observations, await mappings.GetAsync(context.CancellationToken));
        var traceId = Activity.Current?.TraceId.ToString();

        var processed = await work.ExecuteOnceAsync(context.RequireMessageId(), nameof(ObservationsAnonymizedConsumer),
            async (connection, _, messages) =>
            {
                await HarmonizedStore.WriteAsync(connection, batch, classified, traceId, context.CancellationToken);
                messages.Add(new ObservationsHarmonized(batch.SubmissionId, batch.ReportingCountry, batch.BatchNumber,
                    batch.BatchCount, batch.AcceptedAt, classified.Observations));
            }, context.CancellationToken);

        if (!processed)
        {
            logger.LogInformation("Batch {Batch}/{Count} of submission {Submission} was already classified; redelivery ignored",
                batch.BatchNumber, batch.BatchCount, batch.SubmissionId);
            return;
        }
        Harmonized.Add(classified.Observations.Count, new KeyValuePair<string, object?>("country", batch.ReportingCountry));
        PipelineMetrics.ObservationsCommitted("harmonized", batch.ReportingCountry, classified.Observations.Count);
        PipelineMetrics.Reached("harmonized", batch.AcceptedAt);
        foreach (var code in classified.Unmapped)
            UnmappedCodes.Add(code.Occurrences, new("country", batch.ReportingCountry), new("kind", code.Kind));
    }

    private static void EnsureValid(ObservationsAnonymized batch)
    {
        if (batch.Observations is null) throw new InvalidBatchException("the batch has no observations list");
        if (batch.ReportingCountry is not { Length: 3 }) throw new InvalidBatchException($"reporting country '{batch.ReportingCountry}' is not an ISO alpha-3 code");
        foreach (var row in batch.Observations)
        {
            if (row is null) throw new InvalidBatchException("the batch contains a null observation");
            if (row.Count < 0) throw new InvalidBatchException($"line {row.Line}: negative count {row.Count}");
            if (row.Suppressed != (row.Count is null)) throw new InvalidBatchException($"line {row.Line}: a suppressed cell must have no count, and only a suppressed one");
            if (string.IsNullOrWhiteSpace(row.BorderPoint) || string.IsNullOrWhiteSpace(row.Nationality) || string.IsNullOrWhiteSpace(row.Category))
                throw new InvalidBatchException($"line {row.Line}: border point, nationality and category are required");
        }
    }
}
