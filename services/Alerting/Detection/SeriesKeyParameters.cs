using Npgsql;

namespace EarlyWarning.Alerting.Detection;

/// <summary>Series keys bound as the five arrays a statement unnests them from: @levels, @countries, @points, @nationalities, @categories.</summary>
internal static class SeriesKeyParameters
{
    public static void AddSeriesKeys(this NpgsqlParameterCollection parameters, IEnumerable<SeriesKey> keys)
    {
        var list = keys as IReadOnlyCollection<SeriesKey> ?? keys.ToList();
        parameters.AddWithValue("levels", list.Select(k => k.Level.Name).ToArray());
        parameters.AddWithValue("countries", list.Select(k => k.Country).ToArray());
        parameters.AddWithValue("points", list.Select(k => k.BorderPoint).ToArray());
        parameters.AddWithValue("nationalities", list.Select(k => k.Nationality).ToArray());
        parameters.AddWithValue("categories", list.Select(k => k.Category).ToArray());
    }
}
