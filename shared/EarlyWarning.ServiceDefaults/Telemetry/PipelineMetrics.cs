using System.Diagnostics.Metrics;

namespace EarlyWarning.ServiceDefaults.Telemetry;

/// <summary>
/// The pipeline's own metrics, one instrument per question an operator asks, tagged by stage so that the
/// stages can be compared on one graph: how many observations each stage has passed on, and how long after
/// Ingestion accepted them.
/// </summary>
public static class PipelineMetrics
{
    private static readonly Meter Meter = new("EarlyWarning.Pipeline");

    private static readonly Counter<long> Observations = Meter.CreateCounter<long>(
        "earlywarning.pipeline.observations", unit: "{observation}",
        description: "Observations a stage has committed (accepted, anonymized, harmonized, evaluated), by reporting country");

    // Buckets from 50 ms (an idle pipeline) to 10 minutes (a backlog after an outage).
    private static readonly Histogram<double> Latency = Meter.CreateHistogram(
        "earlywarning.pipeline.latency", unit: "s",
        description: "Time from Ingestion's acceptance of a submission to a stage's commit of its batch (harmonized, evaluated, alerted)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] });

    public static void ObservationsCommitted(string stage, string country, int count) =>
        Observations.Add(count, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("country", country));

    public static void Reached(string stage, DateTimeOffset acceptedAt) =>
        Latency.Record(Math.Max(0, (DateTimeOffset.UtcNow - acceptedAt).TotalSeconds), new KeyValuePair<string, object?>("stage", stage));
}
