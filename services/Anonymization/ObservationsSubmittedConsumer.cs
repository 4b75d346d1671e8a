using EarlyWarning.ServiceDefaults.Telemetry;
using System.Diagnostics.Metrics;
using EarlyWarning.Anonymization.Agreements;
using EarlyWarning.Contracts;
using EarlyWarning.ServiceDefaults.Cells;
using EarlyWarning.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Anonymization;

/// <summary>
/// Collects the batches of a submission and, once all are here, applies the publishing country's agreement to
/// the whole tables they belong to and passes the release on. Personal fields are removed as each batch arrives.
/// </summary>
internal sealed class ObservationsSubmittedConsumer(
    TransactionalWork work,
    AgreementCatalog agreements,
    IOptions<AnonymizationOptions> options,
    ILogger<ObservationsSubmittedConsumer> logger) : IConsumer<ObservationsSubmitted>
{
    private static readonly Meter Meter = new("EarlyWarning.Anonymization");
    private static readonly Counter<long> Observations = Meter.CreateCounter<long>("earlywarning.anonymization.observations");
    private static readonly Counter<long> Cells = Meter.CreateCounter<long>("earlywarning.anonymization.cells", description: "Published cells by outcome: released, primary, secondary, rounded, held, generalized");
    private static readonly Counter<long> Suppressed = Meter.CreateCounter<long>("earlywarning.anonymization.suppressed_cells", description: "Published cells suppressed (primary and secondary)");
    private static readonly Counter<long> Submissions = Meter.CreateCounter<long>("earlywarning.anonymization.submissions_released");

    public async Task Consume(ConsumeContext<ObservationsSubmitted> context)
    {
        var batch = context.Message;
        BatchGuard.EnsureValid(batch);
        var agreement = agreements.For(batch.ReportingCountry);
        var prepared = RecordLevel.Prepare(batch.Observations, agreement);
        SubmissionRelease? released = null;
        int? received = null;

        var processed = await work.ExecuteOnceAsync(context.RequireMessageId(), nameof(ObservationsSubmittedConsumer),
            async (connection, _, messages) =>
            {
                received = await SubmissionStore.AddBatchAsync(connection, batch, prepared, context.CancellationToken);
                if (received is null) return;
                messages.Add(new SubmissionProgressed(batch.SubmissionId, "anonymized", batch.BatchNumber, batch.BatchCount,
                    batch.Observations.Count, DateTimeOffset.UtcNow));
                if (received < batch.BatchCount) return;
                var size = Math.Min(options.Value.CellsPerMessage, await SubmissionStore.LargestBatchAsync(connection, batch.SubmissionId, context.CancellationToken));
                var result = await SubmissionStore.ReleaseAsync(connection, batch, agreement, context.CancellationToken);
                released = result;
                var release = Messages(batch, agreement, result, size).ToList();
                foreach (var message in release) messages.Add(message);
                messages.Add(new SubmissionProgressed(batch.SubmissionId, "released", 1, release.Count,
                    release.Sum(m => m.Observations.Count), DateTimeOffset.UtcNow));
            }, context.CancellationToken);

        if (!processed)
        {
            logger.LogInformation("Batch {Batch}/{Count} of submission {Submission} was already anonymized; redelivery ignored",
                batch.BatchNumber, batch.BatchCount, batch.SubmissionId);
            return;
        }
        var country = new KeyValuePair<string, object?>("country", batch.ReportingCountry);
        Observations.Add(batch.Observations.Count, country);
        PipelineMetrics.ObservationsCommitted("anonymized", batch.ReportingCountry, batch.Observations.Count);
        if (received is null)
            logger.LogWarning("Batch {Batch}/{Count} of submission {Submission} arrived after the submission was released; ignored",
                batch.BatchNumber, batch.BatchCount, batch.SubmissionId);
        if (released is not { Audit: var audit }) return;
        Submissions.Add(1, country);
        Suppressed.Add(audit.PrimarySuppressed + audit.SecondarySuppressed, country);
        Cells.Add(audit.Released - audit.PrimarySuppressed - audit.SecondarySuppressed, country, new("outcome", "released"));
        Cells.Add(audit.PrimarySuppressed, country, new("outcome", "primary"));
        Cells.Add(audit.SecondarySuppressed, country, new("outcome", "secondary"));
        Cells.Add(audit.Rounded, country, new("outcome", "rounded"));
        Cells.Add(audit.Held, country, new("outcome", "held"));
        Cells.Add(audit.Generalized + audit.QuasiIdentifiersGeneralized, country, new("outcome", "generalized"));
        logger.LogInformation(
            "Submission {Submission} ({Country}, {Batches} batches) released under {Agreement} v{Version}: {Released} cells, {Primary} primary and {Secondary} secondary suppressions, {Rounded} rounded, {Held} held",
            audit.SubmissionId, audit.ReportingCountry, audit.Batches, audit.AgreementId, audit.AgreementVersion, audit.Released,
            audit.PrimarySuppressed, audit.SecondarySuppressed, audit.Rounded, audit.Held);
    }

    /// <summary>
    /// The release in messages of at most <paramref name="size"/> cells; a suppressed cell travels with its status
    /// and no value, a deleted one as a deletion. Every cell carries its identity as published and the release's
    /// number as its version.
    /// </summary>
    private static IEnumerable<ObservationsAnonymized> Messages(ObservationsSubmitted batch, Agreement agreement, SubmissionRelease release, int size)
    {
        // A released cell sums many submitted lines: it is numbered by its place in the release instead.
        var cells = release.Release.Cells.Select(Observation)
            .Concat(release.Deleted.Select(key => new AnonymizedObservation(0, key.Group.Period, key.Group.BorderPoint, key.Group.Nationality,
                key.Group.Category, key.Sex, key.AgeGroup, null, false) { Deleted = true }))
            // Series by series, so that the messages of a release share as few series as possible: downstream, batches
            // that touch a common series are judged one after the other.
            .OrderBy(cell => cell.BorderPoint, StringComparer.Ordinal).ThenBy(cell => cell.Nationality, StringComparer.Ordinal)
            .ThenBy(cell => cell.Category, StringComparer.Ordinal).ThenBy(cell => cell.Period)
            .ThenBy(cell => cell.Sex, StringComparer.Ordinal).ThenBy(cell => cell.AgeGroup, StringComparer.Ordinal)
            .Select((cell, index) => cell with
            {
                Line = index + 1,
                CellId = CellIdentity.Of(PublishedSpace, batch.ReportingCountry, cell.Period, cell.BorderPoint, cell.Nationality, cell.Category, cell.Sex, cell.AgeGroup),
                Version = release.Version,
            });
        var chunks = cells.Chunk(size).ToList();
        for (var i = 0; i < chunks.Count; i++)
            yield return new ObservationsAnonymized(batch.SubmissionId, batch.ReportingCountry, i + 1, chunks.Count, batch.AcceptedAt, chunks[i])
            {
                AgreementId = agreement.Id,
                AgreementVersion = agreement.Version,
            };
    }

    /// <summary>Published cells are identified in their own space, apart from the national cells they sum.</summary>
    private const string PublishedSpace = "published";

    private static AnonymizedObservation Observation(ReleasedCell c) =>
        new(0, c.Key.Group.Period, c.Key.Group.BorderPoint, c.Key.Group.Nationality, c.Key.Group.Category, c.Key.Sex, c.Key.AgeGroup,
            c.Value, c.Status != ConfidentialityStatus.Free)
        {
            Table = c.Table,
            ConfidentialityStatus = c.Status.Code(),
            LowerBound = c.LowerBound,
            UpperBound = c.UpperBound,
        };
}
