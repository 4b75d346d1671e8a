namespace EarlyWarning.Classification.Export;

/// <summary>
/// Which harmonized cells an export contains. Every list is "any of"; an empty list does not filter. A caller's
/// scope (the reporting countries an analyst may see) narrows the filter with <see cref="Within"/>, never widens it.
/// </summary>
internal sealed record ExportFilter(
    IReadOnlyList<string> ReportingCountries,
    DateOnly? From,
    DateOnly? To,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Places,
    IReadOnlyList<string> Nationalities)
{
    /// <summary>The filter limited to <paramref name="allowedCountries"/>; a request for a country outside them yields nothing.</summary>
    public ExportFilter Within(IReadOnlySet<string> allowedCountries) => this with
    {
        // "---" matches no country: an empty list would mean "any".
        ReportingCountries = (ReportingCountries.Count == 0 ? allowedCountries.Order(StringComparer.Ordinal) : ReportingCountries.Where(allowedCountries.Contains))
            .DefaultIfEmpty("---").ToList(),
    };
}

/// <summary>One cell of the regional dataset: the regional key, the sum of the national cells mapped to it, and whether any was confidential.</summary>
internal sealed record ExportedCell(
    string ReportingCountry, DateOnly Period, string BorderPoint, string Nationality, string Category, string Direction, string Vulnerability,
    string Sex, string AgeGroup, long? Value, bool Confidential);
