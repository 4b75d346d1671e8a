namespace EarlyWarning.Evaluation.Generation;

/// <summary>Usual weekly level of a finest series, in the classes the report breaks figures down by.</summary>
internal enum SizeClass { Under4, From4To10, From10To100, Over100 }

internal static class SizeClasses
{
    public static readonly SizeClass[] All = [SizeClass.Under4, SizeClass.From4To10, SizeClass.From10To100, SizeClass.Over100];

    public static SizeClass Of(double level) => level switch { < 4 => SizeClass.Under4, < 10 => SizeClass.From4To10, < 100 => SizeClass.From10To100, _ => SizeClass.Over100 };

    public static string Label(this SizeClass c) => c switch
    {
        SizeClass.Under4 => "<4/wk", SizeClass.From4To10 => "4-10/wk", SizeClass.From10To100 => "10-100/wk", _ => ">100/wk",
    };
}

/// <summary>One cell of a national file: a sex and a national age band of a series-week, with its count (never 0: exports omit zeros).</summary>
internal readonly record struct NationalCell(string Sex, string AgeBand, int Count);

/// <summary>
/// A finest national series (country × border point × nationality × national category), its usual level (the mean
/// before season, trend and surge), its expected and generated weekly totals and the cells each week is split into.
/// </summary>
internal sealed record FinestSeries(int Index, string Country, PointTerm Point, NationalityTerm Nationality, CategoryTerm Category, double Level,
    double[] Expected, long[] Totals, NationalCell[][] Cells)
{
    public SizeClass SizeClass => SizeClasses.Of(Level);

    /// <summary>The series in the regional standard, at the finest level: country, point code, ISO3 nationality, regional category.</summary>
    public SeriesParts Harmonized => new(Country, Point.Code, Nationality.Iso3, Category.Regional);
}

/// <summary>The parts of a harmonized series; a dimension summed away by a level is "_T", as Alerting writes it.</summary>
internal readonly record struct SeriesParts(string Country, string BorderPoint, string Nationality, string Category)
{
    public const string Total = "_T";
    public override string ToString() => $"{Country}|{BorderPoint}|{Nationality}|{Category}";
}

/// <summary>A surge planted in a finest series: weeks Start..End (0-based indices of the dataset's weeks), the expected count times Size.</summary>
internal sealed record PlantedSurge(int Id, FinestSeries Series, int Start, int Duration, double Size)
{
    public int End => Start + Duration - 1;

    /// <summary>The largest generated total among the surge's weeks.</summary>
    public long PeakCount => Series.Totals[Start..(End + 1)].Max();
}

/// <summary>A generated dataset: weeks (Mondays, oldest first), countries, finest series and planted surges.</summary>
internal sealed record Dataset(int Seed, DateOnly[] Weeks, IReadOnlyList<CountryVocabulary> Countries, IReadOnlyList<FinestSeries> Series, IReadOnlyList<PlantedSurge> Surges)
{
    public int WeekIndex(DateOnly monday) => (monday.DayNumber - Weeks[0].DayNumber) / 7;

    public long Rows => Series.Sum(s => (long)s.Cells.Sum(c => c.Length));
}
