using EarlyWarning.ServiceDefaults.Telemetry;
using System.Diagnostics.Metrics;
using EarlyWarning.Anonymization.Agreements;
using EarlyWarning.Contracts;
using EarlyWarning.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EarlyWarning.Anonymization;

/// <summary>Applies the publishing country's agreement to a submitted batch and passes the safe batch on.</summary>
internal sealed class ObservationsSubmittedConsumer(
    TransactionalWork work,
    IOptionsMonitor<AgreementOptions> agreements,
    ILogger<ObservationsSubmittedConsumer> logger) : IConsumer<ObservationsSubmitted>
{
    private static readonly Meter Meter = new("EarlyWarning.Anonymization");
    private static readonly Counter<long> Suppressed = Meter.CreateCounter<long>("earlywarning.anonymization.suppressed_cells");
    private static readonly Counter<long> Observations = Meter.CreateCounter<long>("earlywarning.anonymization.observations");

    public async Task Consume(ConsumeContext<ObservationsSubmitted> context)
    {
        var batch = context.Message;
        BatchGuard.EnsureValid(batch);
        var result = AgreementApplier.Apply(batch.Observations, agreements.CurrentValue.For(batch.ReportingCountry));

        var processed = await work.ExecuteOnceAsync(context.RequireMessageId(), nameof(ObservationsSubmittedConsumer),
            async (connection, transaction, messages) =>
            {
                await using var cmd = new NpgsqlCommand(
                    """
                    INSERT INTO anonymized_batches (message_id, submission_id, reporting_country, batch_number, observations, suppressed_cells, personal_fields_removed)
                    VALUES (@message, @submission, @country, @batch, @observations, @suppressed, @removed)
                    """, connection, transaction);
                cmd.Parameters.AddWithValue("message", context.RequireMessageId());
                cmd.Parameters.AddWithValue("submission", batch.SubmissionId);
                cmd.Parameters.AddWithValue("country", batch.ReportingCountry);
                cmd.Parameters.AddWithValue("batch", batch.BatchNumber);
                cmd.Parameters.AddWithValue("observations", batch.Observations.Count);
                cmd.Parameters.AddWithValue("suppressed", result.SuppressedCells);
                cmd.Parameters.AddWithValue("removed", result.PersonalFieldsRemoved);
                await cmd.ExecuteNonQueryAsync(context.CancellationToken);
                messages.Add(new ObservationsAnonymized(batch.SubmissionId, batch.ReportingCountry, batch.BatchNumber,
                    batch.BatchCount, batch.AcceptedAt, result.Observations));
            }, context.CancellationToken);

        if (!processed)
        {
            logger.LogInformation("Batch {Batch}/{Count} of submission {Submission} was already anonymized; redelivery ignored",
                batch.BatchNumber, batch.BatchCount, batch.SubmissionId);
            return;
        }
        Suppressed.Add(result.SuppressedCells, new KeyValuePair<string, object?>("country", batch.ReportingCountry));
        Observations.Add(batch.Observations.Count, new KeyValuePair<string, object?>("country", batch.ReportingCountry));
        PipelineMetrics.ObservationsCommitted("anonymized", batch.ReportingCountry, batch.Observations.Count);
    }
}
