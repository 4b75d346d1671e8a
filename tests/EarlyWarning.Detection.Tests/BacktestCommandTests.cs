using System.Globalization;
using EarlyWarning.Backtest;

namespace EarlyWarning.Detection.Tests;

public sealed class BacktestCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("backtest-tests");

    [Fact]
    public async Task The_command_reproduces_R_for_the_Noufaily_settings_named_as_R_names_them()
    {
        var output = Path.Combine(_folder.FullName, "out.csv");
        // The backtest reads complete series only: the fixtures' series with missing weeks are left out.
        var withMissingWeeks = RFixtures.Series.Value.Where(s => s.Value.Any(double.IsNaN)).Select(s => s.Key).ToHashSet();
        var input = Write(string.Join('\n', File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "series.csv"))
            .Where(line => !withMissingWeeks.Contains(line.Split(',')[0]))) + "\n");
        var exit = await BacktestCommand.Create().Parse([
            "--input", input, "--output", output,
            "--algorithm", "farrington-flexible", "--frequency", "52", "--range", "264:340",
            "--noPeriods", "10", "--pastWeeksNotIncluded", "26", "--thresholdMethod", "nbPlugin", "--pThresholdTrend", "1",
        ]).InvokeAsync();

        Assert.Equal(0, exit);
        var lines = File.ReadAllLines(output);
        Assert.Equal("series,period,expected,upperbound,alarm", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(9 * 77, rows.Count);
        var expected = RFixtures.Results.Value;
        foreach (var f in rows)
        {
            var r = expected[("farrington-noufaily", f[0])].Single(e => e.Period == int.Parse(f[1], CultureInfo.InvariantCulture));
            Assert.Equal(r.UpperBound?.ToString("R", CultureInfo.InvariantCulture) ?? "", f[3]);
            Assert.Equal(r.Alarm == true ? "1" : "0", f[4]);
            Assert.Equal(f[3] == "", f[2] == "");
        }
    }

    [Fact]
    public async Task Unknown_parameters_and_bad_values_are_refused_with_their_name()
    {
        var input = Write("series,period,count\na,1,3\n");
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, await BacktestCommand.Create().Parse(["--input", input, "--algorithm", "ears-c1", "--b", "5"]).InvokeAsync());
            Assert.Equal(2, await BacktestCommand.Create().Parse(["--input", input, "--algorithm", "farrington-flexible", "--thresholdMethod", "exact"]).InvokeAsync());
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Contains("ears-c1 has no parameter b", error.ToString());
        Assert.Contains("thresholdMethod 'exact'", error.ToString());
    }

    [Theory]
    [InlineData("series,period,count\na,1,3\na,3,4\n", 3, "period")]
    [InlineData("series,period,count\na,1,3\na,2,-1\n", 3, "count")]
    [InlineData("series,period,count\na,1,2.5\n", 2, "count")]
    [InlineData("series,count\na,3\n", 1, "period")]
    public async Task Bad_input_names_its_line_and_field(string csv, int line, string field)
    {
        var error = await Assert.ThrowsAsync<InputException>(() => SeriesCsv.ReadAsync(new StringReader(csv), CancellationToken.None));
        Assert.StartsWith($"line {line}, {field}:", error.Message);
    }

    [Fact]
    public async Task Several_series_may_be_interleaved_and_keep_their_order()
    {
        var series = await SeriesCsv.ReadAsync(new StringReader("series,period,count\nb,1,1\na,1,5\nb,2,2\na,2,6\n"), CancellationToken.None);
        Assert.Equal(["b", "a"], series.Select(s => s.Name));
        Assert.Equal([5.0, 6.0], series[1].Counts);
    }

    private string Write(string text)
    {
        var path = Path.Combine(_folder.FullName, Guid.NewGuid() + ".csv");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
