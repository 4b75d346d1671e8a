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

    /// <summary>
    /// Identity of the cell as published: reporting country, period, border point, nationality, category, sex
    /// and age group, compared without regard to case. Given by Ingestion; carried unchanged to every store.
    /// Empty in messages from before cell identities existed.
    /// </summary>
    public Guid CellId { get; init; }

    /// <summary>Version of the cell's value: grows with each accepted submission; a store applies it only if newer.</summary>
    public long Version { get; init; }

    /// <summary>The publisher deleted the cell (SDMX ACTION D): it no longer counts anywhere.</summary>
    public bool Deleted { get; init; }

    /// <summary>
    /// What the release discloses of a suppressed cell's count: at least this (a confidential cell under the threshold k
    /// is at least 1). Only what anyone reading the release with the agreement can work out, so it discloses nothing more.
    /// Null for a cell with a count, and in messages from before suppressed cells carried bounds.
    /// </summary>
    public long? LowerBound { get; init; }

    /// <summary>A suppressed cell's count is at most this (k − 1 for a confidential cell); null when the release bounds it by nothing.</summary>
    public long? UpperBound { get; init; }
}
