namespace EarlyWarning.Alerting.Detection;

/// <summary>A series' weekly totals, with the weeks for which any cell was reported.</summary>
internal sealed class WeeklySeries(SeriesKey key, SortedDictionary<DateOnly, long> totals)
{
    public SeriesKey Key { get; } = key;
    public IReadOnlyDictionary<DateOnly, long> Totals => totals;

    /// <summary>
    /// The counts of the <paramref name="length"/> weeks ending at <paramref name="last"/>, or null when any of
    /// them has not been reported yet (batches can arrive out of order; a missing week is unknown, not zero).
    /// </summary>
    public double[]? Window(DateOnly last, int length)
    {
        var window = new double[length];
        for (var i = 0; i < length; i++)
        {
            if (!totals.TryGetValue(last.AddDays(-7 * (length - 1 - i)), out var count)) return null;
            window[i] = count;
        }
        return window;
    }
}
