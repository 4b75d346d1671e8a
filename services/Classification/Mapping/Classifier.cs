using EarlyWarning.Contracts;

namespace EarlyWarning.Classification.Mapping;

/// <summary>A code that no mapping covers, and how often it occurred in the batch.</summary>
internal sealed record UnmappedCode(string Kind, string Code, int Occurrences);

internal sealed record ClassifiedBatch(IReadOnlyList<HarmonizedObservation> Observations, IReadOnlyList<UnmappedCode> Unmapped);

/// <summary>Maps national categories, nationalities and places to the regional standard. Pure, given a catalog.</summary>
internal static class Classifier
{
    public static ClassifiedBatch Classify(string country, IReadOnlyList<AnonymizedObservation> rows, MappingCatalog catalog)
    {
        var output = new HarmonizedObservation[rows.Count];
        var unmapped = new Dictionary<(string Kind, string Code), int>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var category = catalog.Category(country, row.Category);
            if (category is null) Count(unmapped, "category", row.Category);
            var nationality = catalog.Nationality(row.Nationality);
            if (nationality is null) Count(unmapped, "nationality", row.Nationality);
            output[i] = new HarmonizedObservation(row.Line, row.Period, BorderPoint(country, row.BorderPoint),
                nationality ?? MappingCatalog.UnknownNationality, category ?? MappingCatalog.Unmapped, row.Category,
                row.Sex, row.AgeGroup, row.Count);
        }
        return new ClassifiedBatch(output,
            unmapped.Select(u => new UnmappedCode(u.Key.Kind, u.Key.Code, u.Value)).ToList());
    }

    /// <summary>Border points are national codes; prefixing the country makes them unique in the region (CHL-COLCHANE).</summary>
    public static string BorderPoint(string country, string point)
    {
        var normalized = MappingCatalog.Normalize(point).ToUpperInvariant().Replace(' ', '-');
        return normalized.StartsWith(country + "-", StringComparison.Ordinal) ? normalized : $"{country}-{normalized}";
    }

    private static void Count(Dictionary<(string, string), int> unmapped, string kind, string code) =>
        unmapped[(kind, code)] = unmapped.GetValueOrDefault((kind, code)) + 1;
}
