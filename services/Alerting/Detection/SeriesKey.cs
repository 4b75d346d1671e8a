using System.Text;
using EarlyWarning.Contracts;

namespace EarlyWarning.Alerting.Detection;

/// <summary>A harmonized series: one reporting country, border point, nationality and regional category, summed over sex and age.</summary>
internal readonly record struct SeriesKey(string Country, string BorderPoint, string Nationality, string Category)
{
    public static SeriesKey Of(string country, HarmonizedObservation row) => new(country, row.BorderPoint, row.Nationality, row.Category);

    /// <summary>
    /// The key as stored: the parts joined by '|', each with '\' and '|' escaped, so that two different series
    /// can never share a text (a border point may contain '|'). The text is only ever compared, never split
    /// again: code that reads it back maps it to the <see cref="SeriesKey"/> it asked for.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder(Country.Length + BorderPoint.Length + Nationality.Length + Category.Length + 3);
        Append(text, Country).Append('|');
        Append(text, BorderPoint).Append('|');
        Append(text, Nationality).Append('|');
        return Append(text, Category).ToString();
    }

    private static StringBuilder Append(StringBuilder text, string part)
    {
        foreach (var c in part)
        {
            if (c is '\\' or '|') text.Append('\\');
            text.Append(c);
        }
        return text;
    }
}
