using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EarlyWarning.IntegrationTests;

/// <summary>earlywarning-publish, the publishers' command, against the running ingestion API.</summary>
[Collection(SystemCollection.Name)]
public sealed partial class PublisherCliTests(SystemFixture system)
{
    private async Task<(int ExitCode, string Output)> PublishAsync(string file, params string[] options)
    {
        var dll = Path.Combine(TestEnvironment.RepositoryRoot, "tools", "EarlyWarning.Publish", "bin", TestEnvironment.Configuration, "net10.0", "earlywarning-publish.dll");
        var info = new ProcessStartInfo("dotnet", [dll, file, "--url", system.Ingestion.BaseAddress.ToString(), .. options])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["EW_API_KEY"] = await system.IssueKeyAsync("publisher", "--country", "CHL");
        info.Environment["COLUMNS"] = "240";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex SubmissionId();

    [Fact]
    public async Task A_file_is_published_with_its_receipt_printed_and_publishing_it_again_stores_nothing_twice()
    {
        var file = Path.Combine(Path.GetTempPath(), $"earlywarning-publish-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, SyntheticSubmission.Csv(SyntheticSubmission.NewBorderPoint(), weeks: 3));

        var (exit, output) = await PublishAsync(file);
        var (again, outputAgain) = await PublishAsync(file);

        Assert.True(exit == 0, output);
        Assert.Contains("submissionId", output);
        var id = Guid.Parse(SubmissionId().Match(output).Value);
        Assert.Equal(9, await system.ScalarAsync("SELECT observation_count FROM ingestion.submissions WHERE submission_id = @id", ("id", id)));
        Assert.True(again == 0, outputAgain);
        Assert.Equal(id, Guid.Parse(SubmissionId().Match(outputAgain).Value));
        Assert.Equal(1, await system.ScalarAsync("SELECT count(*) FROM ingestion.submissions WHERE submission_id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_rejected_file_prints_each_error_with_its_line_and_field_and_exits_with_1()
    {
        var file = Path.Combine(Path.GetTempPath(), $"earlywarning-publish-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "period,border_point,nationality,category,count\n2024-01-01,Chacalluta,VEN,Ingreso regular,12\n2024-13-01,Chacalluta,VEN,Ingreso regular,-3\n");

        var (exit, output) = await PublishAsync(file);

        Assert.Equal(1, exit);
        Assert.Contains("400", output);
        Assert.Matches(@"3\s*[│|]\s*period", output);
        Assert.Matches(@"3\s*[│|]\s*count", output);
    }
}
