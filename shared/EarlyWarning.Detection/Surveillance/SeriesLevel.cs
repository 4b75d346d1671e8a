namespace EarlyWarning.Detection.Surveillance;

/// <summary>The dimensions a series can keep; every other dimension of a cell is summed away.</summary>
[Flags]
public enum SeriesDimensions
{
    None = 0,
    Country = 1,
    BorderPoint = 2,
    Nationality = 4,
    Category = 8,
    All = Country | BorderPoint | Nationality | Category,
}

/// <summary>
/// An aggregation level analysts follow: the dimensions its series keep (reporting country, border point,
/// nationality, regional category). Written in configuration as the dimensions joined by '+', in any order
/// and case (<c>country+borderPoint+nationality</c> is the corridor: a nationality through a crossing);
/// <see cref="Name"/> is the canonical spelling. A level without the country sums every reporting country.
/// </summary>
public readonly record struct SeriesLevel(SeriesDimensions Dimensions)
{
    private static readonly (SeriesDimensions Dimension, string Name)[] Parts =
    [
        (SeriesDimensions.Country, "country"), (SeriesDimensions.BorderPoint, "borderPoint"),
        (SeriesDimensions.Nationality, "nationality"), (SeriesDimensions.Category, "category"),
    ];

    /// <summary>One reporting country, border point, nationality and regional category: the finest series, which the cells make up directly.</summary>
    public static SeriesLevel Finest { get; } = new(SeriesDimensions.All);

    /// <summary>
    /// The levels watched when configuration names none: the country total, each border point, each nationality
    /// across the region, and the finest series. Corridors, categories and the other combinations are one setting
    /// away; each level adds its series to every batch's judging, and these four keep bench.sh's throughput (README).
    /// </summary>
    public static IReadOnlyList<string> DefaultNames { get; } =
        ["country", "country+borderPoint", "nationality", "country+borderPoint+nationality+category"];

    public bool Has(SeriesDimensions dimension) => (Dimensions & dimension) == dimension;

    public bool IsFinest => Dimensions == SeriesDimensions.All;

    /// <summary>The canonical name: the dimensions in the order country, borderPoint, nationality, category, joined by '+'.</summary>
    public string Name => Names[(int)Dimensions & (int)SeriesDimensions.All];

    // Named once: keys of every series and every stored verdict carry the name.
    private static readonly string[] Names = Enumerable.Range(0, 16)
        .Select(d => string.Join('+', Parts.Where(p => (d & (int)p.Dimension) != 0).Select(p => p.Name))).ToArray();

    /// <summary>Every series of <paramref name="coarser"/> sums series of this level: its dimensions are a strict subset of these.</summary>
    public bool IsFinerThan(SeriesLevel coarser) => (coarser.Dimensions & ~Dimensions) == 0 && coarser.Dimensions != Dimensions;

    public override string ToString() => Name;

    /// <summary>Reads a level as configuration writes it; <paramref name="problem"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string? text, out SeriesLevel level, out string? problem)
    {
        level = default;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is empty: name one or more of country, borderPoint, nationality, category joined by '+'";
            return false;
        }
        var dimensions = SeriesDimensions.None;
        foreach (var raw in text.Split('+'))
        {
            var part = raw.Trim();
            var match = Parts.FirstOrDefault(p => p.Name.Equals(part, StringComparison.OrdinalIgnoreCase));
            if (match.Name is null)
            {
                problem = $"'{part}' in '{text}' is not a dimension (country, borderPoint, nationality, category)";
                return false;
            }
            if ((dimensions & match.Dimension) != 0)
            {
                problem = $"'{text}' names {match.Name} twice";
                return false;
            }
            dimensions |= match.Dimension;
        }
        if ((dimensions & SeriesDimensions.BorderPoint) != 0 && (dimensions & SeriesDimensions.Country) == 0)
        {
            problem = $"'{text}' has borderPoint without country: a border point belongs to its reporting country";
            return false;
        }
        level = new SeriesLevel(dimensions);
        return true;
    }

    public static SeriesLevel Parse(string text) =>
        TryParse(text, out var level, out var problem) ? level : throw new ArgumentException($"Level {problem}");
}
