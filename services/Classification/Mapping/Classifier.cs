using EarlyWarning.Classification.Policy;
using EarlyWarning.Contracts;

namespace EarlyWarning.Classification.Mapping;

/// <summary>What a field of a cell had that no policy covers: the kind (category, nationality, place) and the value as written.</summary>
internal sealed record UnmappedValue(string Kind, string Written);

/// <summary>A cell in the regional standard, with the values as the authority wrote them and the policy versions that produced it.</summary>
internal sealed record HarmonizedCell(HarmonizedObservation Observation, string NationalBorderPoint, string NationalNationality, string MappingVersion);

/// <summary>A cell held for review: its values as written, and every field that has no mapping.</summary>
internal sealed record HeldCell(AnonymizedObservation Row, IReadOnlyList<string> Reasons);

internal sealed record ClassifiedBatch(IReadOnlyList<HarmonizedCell> Harmonized, IReadOnlyList<HeldCell> Held, string PolicyDigest)
{
    /// <summary>Each distinct unmapped value of the batch and the number of cells it held.</summary>
    public IEnumerable<(UnmappedValue Value, int Cells)> UnmappedValues =>
        Held.SelectMany(h => h.Reasons.Select(kind => new UnmappedValue(kind, Classifier.Written(h.Row, kind))))
            .GroupBy(v => v).Select(g => (g.Key, g.Count()));
}

/// <summary>Places the gazetteer does not list: held for review (the default) or given a code derived from the name.</summary>
public enum UnlistedPlaces { Hold, Derive }

/// <summary>Maps national categories, nationalities and places to the regional standard. Pure, given a policy.</summary>
internal static class Classifier
{
    public const string Category = "category", Nationality = "nationality", PlaceKind = "place";

    public static ClassifiedBatch Classify(string country, IReadOnlyList<AnonymizedObservation> rows, RegionalPolicy policy, UnlistedPlaces unlisted = UnlistedPlaces.Hold)
    {
        var harmonized = new List<HarmonizedCell>(rows.Count);
        var held = new List<HeldCell>();
        // A batch repeats a handful of values thousands of times: look each distinct text up once.
        var nationalities = new Dictionary<string, string?>();
        var places = new Dictionary<string, Place?>();
        var categories = new Dictionary<(string, DateOnly, string, string?, string?), (string Code, string Version)?>();
        foreach (var row in rows)
        {
            if (!places.TryGetValue(row.BorderPoint, out var place))
                places[row.BorderPoint] = place = policy.Place(country, row.BorderPoint) ?? (unlisted == UnlistedPlaces.Derive ? Derived(country, row.BorderPoint) : null);
            if (!nationalities.TryGetValue(row.Nationality, out var nationality))
                nationalities[row.Nationality] = nationality = policy.Nationality(row.Nationality);
            (string Code, string Version)? category = null;
            if (place is not null)
            {
                var key = (row.Category, row.Period, place.Code, row.Sex, row.AgeGroup);
                if (!categories.TryGetValue(key, out category))
                    categories[key] = category = policy.Category(country, row.Category, row.Period, place, row.Sex, row.AgeGroup);
            }
            else
            {
                // Without a place a conditional rule cannot be judged; the category is checked against the unconditional rules only.
                category = policy.Category(country, row.Category, row.Period, Unplaced(country), row.Sex, row.AgeGroup);
            }

            if (place is null || nationality is null || category is null)
            {
                var reasons = new List<string>(3);
                if (category is null) reasons.Add(Category);
                if (nationality is null) reasons.Add(Nationality);
                if (place is null) reasons.Add(PlaceKind);
                held.Add(new HeldCell(row, reasons));
                continue;
            }
            harmonized.Add(new HarmonizedCell(
                new HarmonizedObservation(row.Line, row.Period, place.Code, nationality, category.Value.Code, row.Category, row.Sex, row.AgeGroup, row.Count)
                { CellId = row.CellId, Version = row.Version, Deleted = row.Deleted },
                row.BorderPoint, row.Nationality, category.Value.Version));
        }
        return new ClassifiedBatch(harmonized, held, policy.Digest);
    }

    public static string Written(AnonymizedObservation row, string kind) => kind switch
    {
        Category => row.Category,
        Nationality => row.Nationality,
        PlaceKind => row.BorderPoint,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A code made from the name, unique in the region (CHL-COLCHANE), for a place the gazetteer does not list.</summary>
    public static Place Derived(string country, string written)
    {
        var code = NationalText.Normalize(written).ToUpperInvariant().Replace(' ', '-');
        if (!code.StartsWith(country + "-", StringComparison.Ordinal)) code = $"{country}-{code}";
        return new Place(code, written, country, country, country, "unlisted", null, double.NaN, double.NaN);
    }

    private static Place Unplaced(string country) => new($"{country}-?", "", country, country, country, "unlisted", null, double.NaN, double.NaN);
}
