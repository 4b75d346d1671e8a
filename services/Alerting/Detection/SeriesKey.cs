using EarlyWarning.Contracts;

namespace EarlyWarning.Alerting.Detection;

/// <summary>A harmonized series: one reporting country, border point, nationality and regional category, summed over sex and age.</summary>
internal readonly record struct SeriesKey(string Country, string BorderPoint, string Nationality, string Category)
{
    public static SeriesKey Of(string country, HarmonizedObservation row) => new(country, row.BorderPoint, row.Nationality, row.Category);

    public static SeriesKey Parse(string text)
    {
        var parts = text.Split('|');
        return new(parts[0], parts[1], parts[2], parts[3]);
    }

    public override string ToString() => $"{Country}|{BorderPoint}|{Nationality}|{Category}";
}
