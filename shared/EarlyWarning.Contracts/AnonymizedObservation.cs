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
    bool Suppressed);
