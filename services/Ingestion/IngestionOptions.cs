using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Ingestion;

/// <summary>Bound from the "Ingestion" section.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Observations per message. One message per observation caps the bus near 7,000 messages/s; batches lift that.</summary>
    [Range(1, 10_000)] public int BatchSize { get; set; } = 1000;

    /// <summary>Folder of the agreements (policy/agreements); relative paths are relative to the service's binaries.</summary>
    [Required] public string AgreementsDirectory { get; set; } = "policy/agreements";

    /// <summary>What a submission may hold; checked while it streams in.</summary>
    [Required] public SubmissionLimits Limits { get; set; } = new();
}

/// <summary>The hard limits of a submission ("Ingestion:Limits").</summary>
public sealed class SubmissionLimits
{
    /// <summary>Largest request body, in bytes (413 as soon as it is exceeded).</summary>
    [Range(1024, 4L * 1024 * 1024 * 1024)] public long MaximumBodyBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Most rows in one submission (413 beyond).</summary>
    [Range(1, 10_000_000)] public int MaximumObservations { get; set; } = 1_000_000;

    /// <summary>Most columns of a CSV file.</summary>
    [Range(5, 1000)] public int MaximumColumns { get; set; } = 64;

    /// <summary>
    /// Longest field (codes, names, personal fields), in characters. Downstream keys are indexed in PostgreSQL
    /// (a b-tree entry holds at most about 2,700 bytes), so this stays well below that.
    /// </summary>
    [Range(1, 500)] public int MaximumFieldLength { get; set; } = 200;

    /// <summary>
    /// Largest count of one cell. 10^9 times the most rows of a submission stays below 2^63, so no sum of
    /// cells downstream (a series week, a harmonized cell) can overflow.
    /// </summary>
    [Range(1, 1_000_000_000)] public long MaximumCount { get; set; } = 1_000_000_000;

    /// <summary>Earliest period accepted; the latest is one week from today.</summary>
    public DateOnly EarliestPeriod { get; set; } = new(2000, 1, 1);
}

/// <summary>Validates the nested limits too (data annotations stop at the first level).</summary>
internal sealed class IngestionOptionsValidator : IValidateOptions<IngestionOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestionOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (options.Limits is not null)
            Validator.TryValidateObject(options.Limits, new ValidationContext(options.Limits), results, validateAllProperties: true);
        if (options.Limits is { EarliestPeriod.Year: < 1900 })
            results.Add(new ValidationResult("Ingestion:Limits:EarliestPeriod must be in 1900 or later"));
        return results.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(r => $"{IngestionOptions.Section}: {r.ErrorMessage}"));
    }
}
