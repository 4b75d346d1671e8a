namespace EarlyWarning.Contracts;

/// <summary>
/// A cell that passed the publishing country's data-sharing agreement. A suppressed cell keeps its
/// place (so nothing disappears without trace) but carries no count, as SDMX's confidential status does.
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
}
