using EarlyWarning.Classification.Policy;
using EarlyWarning.Contracts;

namespace EarlyWarning.Classification.Mapping;

/// <summary>What a field of a cell had that no policy covers: the kind (category, nationality, place) and the value as written.</summary>
internal sealed record UnmappedValue(string Kind, string Written)
{
    /// <summary>
    /// Free text can carry what a publisher typed by mistake (a name, a document number): logs name a held value by
    /// this digest only; the review API, behind an operator's credential, shows the text.
    /// </summary>
    public string Fingerprint => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Kind + "\n" + Written)))[..12];
}

/// <summary>A cell in the regional standard, with the values as the authority wrote them and the policy versions that produced it.</summary>
internal sealed record HarmonizedCell(HarmonizedObservation Observation, string NationalBorderPoint, string NationalNationality, string MappingVersion)
{
    /// <summary>The age group as the file wrote it (after the agreement's generalization); null when not broken down by age.</summary>
    public string? NationalAgeGroup { get; init; }
}

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

/// <summary>Maps national categories, nationalities, places, sexes and age groups to the regional standard. Pure, given a policy.</summary>
internal static class Classifier
{
    public const string Category = "category", Nationality = "nationality", PlaceKind = "place", Sex = "sex", Age = "age";

    public static ClassifiedBatch Classify(string country, IReadOnlyList<AnonymizedObservation> rows, RegionalPolicy policy, UnlistedPlaces unlisted = UnlistedPlaces.Hold)
    {
        var harmonized = new List<HarmonizedCell>(rows.Count);
        var held = new List<HeldCell>();
        // A batch repeats a handful of values thousands of times: look each distinct text up once.
        var nationalities = new Dictionary<string, string?>();
        var places = new Dictionary<string, Place?>();
        var categories = new Dictionary<string, CategoryRules>();
        var sexes = new Dictionary<string, string?>();
        var ages = new Dictionary<string, string?>();
        foreach (var row in rows)
        {
            if (!places.TryGetValue(row.BorderPoint, out var place))
                places[row.BorderPoint] = place = policy.Place(country, row.BorderPoint) ?? (unlisted == UnlistedPlaces.Derive ? Derived(country, row.BorderPoint) : null);
            if (!nationalities.TryGetValue(row.Nationality, out var nationality))
                nationalities[row.Nationality] = nationality = policy.Nationality(row.Nationality);
            var sexText = row.Sex ?? "";
            if (!sexes.TryGetValue(sexText, out var sex)) sexes[sexText] = sex = policy.Sex(country, row.Sex);
            var ageText = row.AgeGroup ?? "";
            if (!ages.TryGetValue(ageText, out var age)) ages[ageText] = age = policy.AgeGroup(country, row.AgeGroup);
            // Without a place, sex or age group a conditional rule cannot be judged; the category is checked against
            // the unconditional rules only, so that the reasons a cell is held are complete.
            var judged = (Place: place ?? Unplaced(country), Sex: sex ?? "?", Age: age ?? "?");
            if (!categories.TryGetValue(row.Category, out var rules)) categories[row.Category] = rules = policy.RulesFor(country, row.Category);
            var category = rules.Choose(row.Period, judged.Place, judged.Sex, judged.Age);

            if (place is null || nationality is null || category is null || sex is null || age is null)
            {
                var reasons = new List<string>(5);
                if (category is null) reasons.Add(Category);
                if (nationality is null) reasons.Add(Nationality);
                if (place is null) reasons.Add(PlaceKind);
                if (sex is null) reasons.Add(Sex);
                if (age is null) reasons.Add(Age);
                held.Add(new HeldCell(row, reasons));
                continue;
            }
            harmonized.Add(new HarmonizedCell(
                new HarmonizedObservation(row.Line, row.Period, place.Code, nationality, category.Code, row.Category, sex, age, row.Count)
                {
                    CellId = row.CellId, Version = row.Version, Deleted = row.Deleted, Direction = category.Direction, Vulnerability = category.Vulnerability,
                    LowerBound = row.LowerBound, UpperBound = row.UpperBound,
                },
                row.BorderPoint, row.Nationality, category.TableVersion) { NationalAgeGroup = row.AgeGroup });
        }
        return new ClassifiedBatch(harmonized, held, policy.Digest);
    }

    public static string Written(AnonymizedObservation row, string kind) => kind switch
    {
        Category => row.Category,
        Nationality => row.Nationality,
        PlaceKind => row.BorderPoint,
        Sex => row.Sex ?? "",
        Age => row.AgeGroup ?? "",
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
