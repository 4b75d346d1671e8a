namespace EarlyWarning.Contracts;

/// <summary>
/// One row of a national submission as the authority sent it, before any privacy rule is applied.
/// It never leaves the publishing country's Ingestion and Anonymization services.
/// </summary>
/// <param name="Line">Line (CSV) or 1-based index (JSON) of the row in the submitted file.</param>
/// <param name="Period">First day of the reporting week (ISO 8601 date).</param>
/// <param name="BorderPoint">National code of the border point or flow-monitoring point.</param>
/// <param name="Nationality">Nationality as the authority wrote it: ISO code, demonym or name.</param>
/// <param name="Category">National migrant category, in the authority's own terms.</param>
/// <param name="Sex">F, M or null when not disaggregated.</param>
/// <param name="AgeGroup">Age group label, or null when not disaggregated.</param>
/// <param name="Count">Number of events observed in the cell.</param>
/// <param name="PersonalFields">Record-level fields (names, document numbers, birth dates) that must not leave the country.</param>
public sealed record RawObservation(
    int Line,
    DateOnly Period,
    string BorderPoint,
    string Nationality,
    string Category,
    string? Sex,
    string? AgeGroup,
    long Count,
    IReadOnlyDictionary<string, string>? PersonalFields)
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

    /// <summary>
    /// The publisher marked the cell not for publication (SDMX CONF_STATUS C, N or D): the agreement suppresses it as
    /// a primary suppression whatever its count, and discloses no bounds for it.
    /// </summary>
    public bool Confidential { get; init; }
}
