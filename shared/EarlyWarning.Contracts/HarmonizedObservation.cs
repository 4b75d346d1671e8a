namespace EarlyWarning.Contracts;

/// <summary>A cell expressed in the regional standard.</summary>
/// <param name="Line">Line of the row in the original submission.</param>
/// <param name="Period">First day of the reporting week.</param>
/// <param name="BorderPoint">Border point code, prefixed by the reporting country (e.g. CHL-COLCHANE).</param>
/// <param name="Nationality">ISO 3166-1 alpha-3 code, XXA for stateless, XXX for unknown.</param>
/// <param name="Category">Regional category code (e.g. IRREGULAR_ENTRY), or UNMAPPED.</param>
/// <param name="NationalCategory">The category as the authority wrote it, kept for drill-down.</param>
/// <param name="Sex">SDMX CL_SEX code: F, M or _T (not broken down by sex); null in messages from before sexes were mapped.</param>
/// <param name="AgeGroup">CL_AGE code (e.g. Y_LT18, _T when not broken down by age); the national label in messages from before age groups were mapped.</param>
/// <param name="Count">Count, or null when the cell was suppressed.</param>
public sealed record HarmonizedObservation(
    int Line,
    DateOnly Period,
    string BorderPoint,
    string Nationality,
    string Category,
    string NationalCategory,
    string? Sex,
    string? AgeGroup,
    long? Count)
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

    /// <summary>CL_DIRECTION code (ENTRY, EXIT, TRANSIT, _Z) derived from the national category (and place) by the mapping table; null in older messages.</summary>
    public string? Direction { get; init; }

    /// <summary>CL_VULNERABILITY code (e.g. UASC; _Z for none recorded) derived by the mapping table; null in older messages.</summary>
    public string? Vulnerability { get; init; }

    /// <summary>A suppressed cell's count is at least this, as its release discloses (<see cref="AnonymizedObservation.LowerBound"/>); null otherwise.</summary>
    public long? LowerBound { get; init; }

    /// <summary>A suppressed cell's count is at most this (<see cref="AnonymizedObservation.UpperBound"/>); null when unbounded or not suppressed.</summary>
    public long? UpperBound { get; init; }
}
