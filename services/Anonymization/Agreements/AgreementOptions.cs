using System.ComponentModel.DataAnnotations;

namespace EarlyWarning.Anonymization.Agreements;

/// <summary>
/// The data-sharing agreements, bound from the "Agreements" section: a default and overrides per
/// publishing country (Agreements__Countries__CHL__MinimumCellCount=10).
/// </summary>
public sealed class AgreementOptions
{
    public const string Section = "Agreements";

    [Required] public DataSharingAgreement Default { get; set; } = new();

    public Dictionary<string, DataSharingAgreement> Countries { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public DataSharingAgreement For(string country) => Countries.TryGetValue(country, out var agreement) ? agreement : Default;
}

/// <summary>What a country agreed may leave it.</summary>
public sealed class DataSharingAgreement
{
    /// <summary>Threshold rule: a cell counting 1 to k−1 events is not published (k = 5 unless agreed otherwise).</summary>
    [Range(1, 1000)] public int MinimumCellCount { get; set; } = 5;
}
