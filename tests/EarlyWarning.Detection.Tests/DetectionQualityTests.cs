using EarlyWarning.Backtest;
using EarlyWarning.Backtest.Evaluation;
using EarlyWarning.Detection.Surveillance;

namespace EarlyWarning.Detection.Tests;

public sealed class DetectionQualityTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("quality-tests");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void The_generator_plants_surges_where_it_says_and_is_the_same_for_a_seed()
    {
        var data = EvaluationData.Generate(30, 156, seed: 5);
        Assert.Equal(20, data.Count(s => s.Surge is not null));
        Assert.Equal(data.Select(s => s.Counts.Sum()), EvaluationData.Generate(30, 156, seed: 5).Select(s => s.Counts.Sum()));
        foreach (var s in data.Where(s => s.Surge is { Size: >= 3, Duration: >= 3 } && s.Level >= 50))
        {
            var surge = s.Surge!;
            var during = s.Counts.Skip(surge.Start).Take(surge.Duration).Average();
            var before = s.Counts.Skip(surge.Start - 8).Take(8).Average();
            Assert.True(during > 2 * before, $"{s.Name}: {during} during the surge, {before} before it");
        }
    }

    [Fact]
    public void The_default_policy_alerts_large_surges_early_once_each_and_rarely_otherwise()
    {
        var report = DetectionQuality.Measure(EvaluationData.Generate(300, 156, seed: 9), new DetectionPolicy());
        Assert.Equal(200, report.Surges.Count);
        Assert.True(report.GoalDetection >= 0.9, $"{report.GoalDetection:P0} of the goal's surges alerted within two weeks");
        Assert.True(report.FalseAlertsPer1000 <= 3, $"{report.FalseAlertsPer1000:0.00} false alerts per 1,000 series-weeks");
        Assert.All(report.Surges.Where(s => s.Alerts > 0), s => Assert.Equal(1, s.Alerts));
    }

    [Fact]
    public async Task The_backtest_judges_with_a_policy_file_in_the_services_format()
    {
        var config = Path.Combine(_folder.FullName, "detection.json");
        await File.WriteAllTextAsync(config, """
            { "Detection": { "MinimumCount": 10, "Detectors": [ { "MinimumHistory": 9, "Algorithm": "ears-c2", "Parameters": { "alpha": "0.001" } } ],
                             "Lifecycle": { "CloseAfter": 1 } } }
            """);
        var input = Path.Combine(_folder.FullName, "in.csv");
        await File.WriteAllTextAsync(input, "series,period,count\n" + string.Concat(
            new[] { 40, 42, 38, 41, 39, 40, 43, 40, 41, 42, 160, 41 }.Select((c, i) => $"a,{i + 1},{c}\n")));
        var output = Path.Combine(_folder.FullName, "out.csv");

        Assert.Equal(0, await BacktestCommand.Create().Parse(["--input", input, "--output", output, "--config", config]).InvokeAsync());

        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal("series,period,expected,upperbound,alarm,algorithm,alert,severity,state", lines[0]);
        Assert.StartsWith("a,11,", lines[11]);
        Assert.EndsWith(",1,ears-c2,11,Severe,closed", lines[11]);
        Assert.EndsWith(",0,ears-c2,11,Severe,closed", lines[12]);
        Assert.EndsWith(",0,,,,", lines[1]);
    }

    [Fact]
    public async Task The_backtest_judges_each_series_with_the_override_of_its_level_and_country_as_the_service_does()
    {
        var config = Path.Combine(_folder.FullName, "detection.json");
        await File.WriteAllTextAsync(config, """
            { "Detection": { "MinimumCount": 10, "Detectors": [ { "MinimumHistory": 9, "Algorithm": "ears-c2", "Parameters": { "alpha": "0.001" } } ],
                             "Overrides": [ { "Levels": [ "country+borderPoint+nationality+category" ], "Countries": [ "CHL" ], "MinimumCount": 1000 } ] } }
            """);
        int[] counts = [40, 42, 38, 41, 39, 40, 43, 40, 41, 42, 160, 41];
        var input = Path.Combine(_folder.FullName, "in.csv");
        await File.WriteAllTextAsync(input, "series,period,count,level,country\n" + string.Concat(
            counts.Select((c, i) => $"chile,{i + 1},{c},,CHL\nperu,{i + 1},{c},,PER\nchile-total,{i + 1},{c},country,CHL\n")));
        var output = Path.Combine(_folder.FullName, "out.csv");

        Assert.Equal(0, await BacktestCommand.Create().Parse(["--input", input, "--output", output, "--config", config]).InvokeAsync());

        var surgeWeek = (await File.ReadAllLinesAsync(output)).Where(l => l.Split(',')[1] == "11").ToDictionary(l => l.Split(',')[0]);
        Assert.Contains(",0,ears-c2,,,", surgeWeek["chile"]);
        Assert.Contains(",1,ears-c2,11,", surgeWeek["peru"]);
        Assert.Contains(",1,ears-c2,11,", surgeWeek["chile-total"]);

        // Without the columns, --level and --country say where every series belongs.
        await File.WriteAllTextAsync(input, "series,period,count\n" + string.Concat(counts.Select((c, i) => $"a,{i + 1},{c}\n")));
        Assert.Equal(0, await BacktestCommand.Create().Parse(["--input", input, "--output", output, "--config", config, "--country", "CHL"]).InvokeAsync());
        Assert.Contains(",0,ears-c2,,,", (await File.ReadAllLinesAsync(output))[11]);
        Assert.Equal(0, await BacktestCommand.Create().Parse(["--input", input, "--output", output, "--config", config, "--country", "CHL", "--level", "country"]).InvokeAsync());
        Assert.Contains(",1,ears-c2,11,", (await File.ReadAllLinesAsync(output))[11]);
        Assert.Equal(2, await BacktestCommand.Create().Parse(["--input", input, "--config", config, "--country", "chile"]).InvokeAsync());
        Assert.Equal(2, await BacktestCommand.Create().Parse(["--input", input, "--algorithm", "ears-c2", "--country", "CHL"]).InvokeAsync());
    }
}
