namespace EarlyWarning.Alerting.Detection;

/// <summary>
/// A series' weekly totals: a week is absent until any of its cells is reported, and its total is null
/// when a cell was suppressed by the publishing country's agreement (the true count is then unknown).
/// </summary>
internal sealed class WeeklySeries(SeriesKey key, Dictionary<DateOnly, long?> totals)
{
    public SeriesKey Key { get; } = key;
    public IReadOnlyDictionary<DateOnly, long?> Totals => totals;

    /// <summary>
    /// The counts of the <paramref name="length"/> weeks ending at <paramref name="last"/>, or null when any of
    /// them is not reported yet (batches can arrive out of order: a missing week is unknown, not zero) or
    /// holds a suppressed cell (counting it as zero would lower the baseline and raise false alarms).
    /// </summary>
    public double[]? Window(DateOnly last, int length)
    {
        var window = new double[length];
        for (var i = 0; i < length; i++)
        {
            if (!totals.TryGetValue(last.AddDays(-7 * (length - 1 - i)), out var count) || count is null) return null;
            window[i] = count.Value;
        }
        return window;
    }
}
