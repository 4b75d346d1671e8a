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
        // A batch repeats a handful of codes thousands of times: normalize each distinct text once.
        var categories = new Dictionary<string, string?>();
        var nationalities = new Dictionary<string, string?>();
        var points = new Dictionary<string, string>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (!categories.TryGetValue(row.Category, out var category))
                categories[row.Category] = category = catalog.Category(country, row.Category);
            if (category is null) Count(unmapped, "category", row.Category);
            if (!nationalities.TryGetValue(row.Nationality, out var nationality))
                nationalities[row.Nationality] = nationality = catalog.Nationality(row.Nationality);
            if (nationality is null) Count(unmapped, "nationality", row.Nationality);
            if (!points.TryGetValue(row.BorderPoint, out var point))
                points[row.BorderPoint] = point = BorderPoint(country, row.BorderPoint);
            output[i] = new HarmonizedObservation(row.Line, row.Period, point,
                nationality ?? MappingCatalog.UnknownNationality, category ?? MappingCatalog.Unmapped, row.Category,
                row.Sex, row.AgeGroup, row.Count)
            { CellId = row.CellId, Version = row.Version, Deleted = row.Deleted };
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
