namespace EarlyWarning.Contracts;

/// <summary>
/// A cell that passed the publishing country's data-sharing agreement. A suppressed cell keeps its
/// place (so nothing disappears without trace) but carries no count, as SDMX's confidential status does.
/// A cell belongs to one published table of the agreement: the series totals (<see cref="Sex"/> and
/// <see cref="AgeGroup"/> both "_T", SDMX's total code) or a breakdown (by sex: AgeGroup "_T"; by age: Sex "_T").
/// <see cref="Line"/> numbers the cell within its submission's release (cells sum many submitted lines).
/// </summary>
public sealed record AnonymizedObservation(
    int Line,
    DateOnly Period,
    string BorderPoint,
    string Nationality,
    string Category,
    string? Sex,
    string? AgeGroup,
    long? Count,
    bool Suppressed)
{
    /// <summary>Name of the agreement's published table the cell belongs to (e.g. series, bySex, byAge).</summary>
    public string? Table { get; init; }

    /// <summary>SDMX CL_CONF_STATUS: F free, C confidential (primary suppression), D secondary suppression.</summary>
    public string? ConfidentialityStatus { get; init; }
}
