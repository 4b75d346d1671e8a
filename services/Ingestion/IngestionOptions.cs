using System.ComponentModel.DataAnnotations;

namespace EarlyWarning.Ingestion;

/// <summary>Bound from the "Ingestion" section.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Observations per message. One message per observation caps the bus near 7,000 messages/s; batches lift that.</summary>
    [Range(1, 10_000)] public int BatchSize { get; set; } = 1000;

    /// <summary>Largest submission accepted in one request, in rows.</summary>
    [Range(1, 10_000_000)] public int MaximumObservations { get; set; } = 1_000_000;
}
