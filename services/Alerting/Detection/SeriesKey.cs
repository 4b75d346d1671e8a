using System.Text;
using EarlyWarning.Contracts;
using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Alerting.Detection;

/// <summary>
/// A series at an aggregation level: the parts the level keeps, and <see cref="All"/> ("_T", SDMX's total code)
/// in each dimension it sums away. Stored as these typed parts (columns) and, where a single value is needed to
/// compare or lock on, as <see cref="ToString"/>'s canonical text.
/// </summary>
internal readonly record struct SeriesKey(SeriesLevel Level, string Country, string BorderPoint, string Nationality, string Category)
{
    /// <summary>A dimension the level sums away.</summary>
    public const string All = "_T";

    /// <summary>The finest series: one reporting country, border point, nationality and regional category.</summary>
    public SeriesKey(string country, string borderPoint, string nationality, string category)
        : this(SeriesLevel.Finest, country, borderPoint, nationality, category) { }

    public static SeriesKey Of(string country, HarmonizedObservation row) => new(country, row.BorderPoint, row.Nationality, row.Category);

    /// <summary>The series of <paramref name="level"/> this finest series is part of.</summary>
    public SeriesKey At(SeriesLevel level) => new(level,
        level.Has(SeriesDimensions.Country) ? Country : All,
        level.Has(SeriesDimensions.BorderPoint) ? BorderPoint : All,
        level.Has(SeriesDimensions.Nationality) ? Nationality : All,
        level.Has(SeriesDimensions.Category) ? Category : All);

    /// <summary>The reporting country the series belongs to, or null when its level sums every country.</summary>
    public string? ReportingCountry => Level.Has(SeriesDimensions.Country) ? Country : null;

    /// <summary>
    /// The key as stored for comparing and locking: the parts the level keeps joined by '|', each with '\' and '|'
    /// escaped, so that two different series can never share a text (a border point may contain '|'). The finest
    /// level keeps the text it always had (country|point|nationality|category); every other level starts with its
    /// name, which no three-letter country code can equal, so texts of two levels never meet either. The text is
    /// only ever compared, never split again: code that reads it back maps it to the <see cref="SeriesKey"/> it asked for.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder(Country.Length + BorderPoint.Length + Nationality.Length + Category.Length + 40);
        var first = true;
        if (!Level.IsFinest)
        {
            text.Append(Level.Name);
            first = false;
        }
        Part(text, SeriesDimensions.Country, Country, ref first);
        Part(text, SeriesDimensions.BorderPoint, BorderPoint, ref first);
        Part(text, SeriesDimensions.Nationality, Nationality, ref first);
        Part(text, SeriesDimensions.Category, Category, ref first);
        return text.ToString();
    }

    private void Part(StringBuilder text, SeriesDimensions dimension, string part, ref bool first)
    {
        if (!Level.Has(dimension)) return;
        if (!first) text.Append('|');
        first = false;
        foreach (var c in part)
        {
            if (c is '\\' or '|') text.Append('\\');
            text.Append(c);
        }
    }
}
