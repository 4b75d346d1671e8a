using System.ComponentModel.DataAnnotations;

namespace EarlyWarning.Anonymization;

/// <summary>How a release is sent on (bound from "Anonymization").</summary>
public sealed class AnonymizationOptions
{
    public const string Section = "Anonymization";

    /// <summary>Most cells per ObservationsAnonymized message (fewer when the submission came in smaller batches).</summary>
    [Range(1, 100_000)] public int CellsPerMessage { get; set; } = 1000;
}
