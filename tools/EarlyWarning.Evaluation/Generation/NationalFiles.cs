using System.Globalization;
using System.Text;

namespace EarlyWarning.Evaluation.Generation;

/// <summary>The national CSV files of a dataset, as Ingestion reads them (period as the week's Monday; zero cells omitted).</summary>
internal static class NationalFiles
{
    public const string Header = "period,border_point,nationality,category,sex,age_group,count\n";

    /// <summary>The rows of one country for weeks from..to−1 (indices into the dataset's weeks).</summary>
    public static string Csv(Dataset data, string country, int from, int to)
    {
        var text = new StringBuilder(Header);
        foreach (var s in data.Series.Where(s => s.Country == country))
        {
            var group = $"{Quote(s.Point.National)},{Quote(s.Nationality.National)},{Quote(s.Category.National)}";
            for (var t = from; t < to; t++)
            {
                var period = data.Weeks[t].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                foreach (var cell in s.Cells[t])
                    text.Append(CultureInfo.InvariantCulture, $"{period},{group},{cell.Sex},{Quote(cell.AgeBand)},{cell.Count}\n");
            }
        }
        return text.ToString();
    }

    public static int RowCount(Dataset data, string country, int from, int to) =>
        data.Series.Where(s => s.Country == country).Sum(s => s.Cells[from..to].Sum(c => c.Length));

    private static string Quote(string value) => value.Contains(',') || value.Contains('"') ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}

/// <summary>The summary the generator prints: countries, series by size class, cells, share of cells under k, surges by size class.</summary>
internal static class DatasetSummary
{
    public static void Print(TextWriter output, Dataset data)
    {
        var first = data.Weeks[0];
        var last = data.Weeks[^1];
        output.WriteLine($"dataset (seed {data.Seed}): {data.Countries.Count} countries, {data.Series.Count} finest series, {data.Weeks.Length} weeks " +
                         $"{first:yyyy-MM-dd} .. {last:yyyy-MM-dd}, {data.Rows:N0} national rows (sex x age cells, zeros omitted), {data.Surges.Count} surges planted");
        output.WriteLine($"  {"country",-8}{"k",4}{"series",8}{"<4/wk",7}{"4-10",6}{"10-100",8}{">100",6}{"rows",10}{"wk total",10}  " +
                         $"{"series-weeks < k",18}{"cells < k",11}  age bands");
        foreach (var c in data.Countries)
        {
            var series = data.Series.Where(s => s.Country == c.Country).ToList();
            var byClass = SizeClasses.All.Select(k => series.Count(s => s.SizeClass == k)).ToArray();
            var weeks = series.SelectMany(s => s.Totals).Where(n => n > 0).ToList();
            var cells = series.SelectMany(s => s.Cells.SelectMany(w => w)).ToList();
            var k = Math.Max(1, c.Threshold);
            output.WriteLine($"  {c.Country,-8}{c.Threshold,4}{series.Count,8}{byClass[0],7}{byClass[1],6}{byClass[2],8}{byClass[3],6}{cells.Count,10:N0}" +
                             $"{series.Sum(s => s.Totals.Sum()) / (double)data.Weeks.Length,10:N0}  " +
                             $"{Percent(weeks.Count(n => n < k), weeks.Count),18}{Percent(cells.Count(x => x.Count < k), cells.Count),11}  {string.Join(' ', c.AgeBands)}");
        }
        output.WriteLine("  (series-weeks < k: weeks with 1..k-1 events, whose series total the agreement suppresses; cells < k: national sex x age cells under k)");
        output.WriteLine($"  surges by size class: {string.Join(", ", SizeClasses.All.Select(k => $"{k.Label()} {data.Surges.Count(s => s.Series.SizeClass == k)}"))}; " +
                         $"sizes {string.Join('/', GeneratorOptions.Sizes)}x, durations {string.Join('/', GeneratorOptions.Durations)} weeks, from week {GeneratorOptions.FirstSurgeWeek}");
    }

    private static string Percent(int part, int whole) => whole == 0 ? "-" : $"{100.0 * part / whole:0}%";
}
