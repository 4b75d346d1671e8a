using System.Globalization;
using EarlyWarning.Detection.Surveillance;
using EarlyWarning.Formats;

namespace EarlyWarning.Backtest;

/// <summary>
/// A named series of counts, periods 1..n in order; with the level and reporting country it belongs to when the
/// input says (optional columns <c>level</c> and <c>country</c>), which choose the policy's override for it.
/// </summary>
internal sealed record CountSeries(string Name, double[] Counts)
{
    public string? Level { get; init; }

    public string? Country { get; init; }
}

/// <summary>Input that is not a valid backtest CSV: where and why.</summary>
internal sealed class InputException(int line, string field, string reason) : Exception($"line {line}, {field}: {reason}");

/// <summary>
/// Reads "series,period,count" CSV: per series, periods 1, 2, 3, … in order, counts non-negative whole numbers.
/// Optional columns <c>level</c> and <c>country</c> name the series' aggregation level and reporting country
/// (read on its first row, and the same on every row).
/// </summary>
internal static class SeriesCsv
{
    public static async Task<List<CountSeries>> ReadAsync(TextReader reader, CancellationToken ct)
    {
        var series = new List<CountSeries>();
        var byName = new Dictionary<string, List<double>>();
        var labels = new Dictionary<string, (string? Level, string? Country)>();
        int[]? columns = null;
        int levelColumn = -1, countryColumn = -1;
        await foreach (var record in CsvRecordReader.ReadAsync(reader, ct))
        {
            if (columns is null)
            {
                var header = record.Fields.Select(f => f.Trim().ToLowerInvariant()).ToArray();
                columns = new[] { "series", "period", "count" }.Select(name => Array.IndexOf(header, name) is var i and >= 0
                    ? i : throw new InputException(record.Line, name, "column is missing from the header (expected series,period,count)")).ToArray();
                levelColumn = Array.IndexOf(header, "level");
                countryColumn = Array.IndexOf(header, "country");
                continue;
            }
            if (record.Fields.Length <= Math.Max(columns.Max(), Math.Max(levelColumn, countryColumn)))
                throw new InputException(record.Line, "row", $"has {record.Fields.Length} fields, fewer than the header");
            var name = record.Fields[columns[0]];
            var label = (Level: Optional(record, levelColumn), Country: Optional(record, countryColumn));
            if (label.Level is { } level && !SeriesLevel.TryParse(level, out _, out var problem))
                throw new InputException(record.Line, "level", problem!);
            if (label.Country is { } country && !DetectionOverride.IsCountryCode(country))
                throw new InputException(record.Line, "country", $"'{country}' is not an ISO 3166-1 alpha-3 code in capitals");
            if (!labels.TryAdd(name, label) && labels[name] != label)
                throw new InputException(record.Line, "level", $"series '{name}' changes its level or country from one row to another");
            if (!int.TryParse(record.Fields[columns[1]], NumberStyles.None, CultureInfo.InvariantCulture, out var period))
                throw new InputException(record.Line, "period", $"'{record.Fields[columns[1]]}' is not a whole number from 1");
            if (!double.TryParse(record.Fields[columns[2]], NumberStyles.Float, CultureInfo.InvariantCulture, out var count) || count < 0 || count != Math.Floor(count) || double.IsInfinity(count))
                throw new InputException(record.Line, "count", $"'{record.Fields[columns[2]]}' is not a non-negative whole number");
            if (!byName.TryGetValue(name, out var counts))
            {
                byName[name] = counts = [];
                series.Add(new CountSeries(name, []));
            }
            if (period != counts.Count + 1)
                throw new InputException(record.Line, "period", $"series '{name}' has period {period} where {counts.Count + 1} was expected (periods start at 1 and are in order, without gaps)");
            counts.Add(count);
        }
        if (columns is null) throw new InputException(1, "header", "the input is empty; expected series,period,count");
        return series.Select(s => s with { Counts = byName[s.Name].ToArray(), Level = labels[s.Name].Level, Country = labels[s.Name].Country }).ToList();
    }

    private static string? Optional(CsvRecord record, int column) =>
        column >= 0 && record.Fields[column].Trim() is { Length: > 0 } text ? text : null;

    public static async Task WriteAsync(TextWriter writer, IEnumerable<(CountSeries Series, EarlyWarning.Detection.PeriodResult[] Results)> output)
    {
        await writer.WriteLineAsync("series,period,expected,upperbound,alarm");
        foreach (var (s, results) in output)
        foreach (var r in results)
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{Quote(s.Name)},{r.Period},{(r.HasBound ? Number(r.Expected) : "")},{Number(r.UpperBound)},{(r.Alarm ? 1 : 0)}"));
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
}
