using System.Globalization;
using System.Text.Json;
using EarlyWarning.Classification.Export;
using EarlyWarning.Classification.Mapping;
using EarlyWarning.Contracts;

namespace EarlyWarning.UnitTests;

public sealed class SampleDatasetClassificationTests
{
    [Theory]
    [InlineData("CHL")] [InlineData("COL")] [InlineData("MEX")] [InlineData("PER")] [InlineData("ECU")] [InlineData("PAN")]
    public void Every_row_of_the_bundled_sample_dataset_maps_to_the_regional_standard(string country)
    {
        var rows = SampleRows(country);
        var result = Classifier.Classify(country, rows, RepositoryPolicy.Current);
        Assert.True(result.Held.Count == 0,
            string.Join(", ", result.UnmappedValues.Select(v => $"{v.Value.Kind} '{v.Value.Written}' x{v.Cells}")));
        Assert.Equal(rows.Count, result.Harmonized.Count);
    }

    [Fact]
    public void An_analysts_scope_narrows_an_export_filter_and_never_widens_it()
    {
        var all = new ExportFilter([], null, null, [], [], []);
        var allowed = new HashSet<string> { "PER", "CHL" };
        Assert.Equal(["CHL", "PER"], all.Within(allowed).ReportingCountries);
        Assert.Equal(["PER"], (all with { ReportingCountries = ["PER", "MEX"] }).Within(allowed).ReportingCountries);
        Assert.DoesNotContain("MEX", (all with { ReportingCountries = ["MEX"] }).Within(allowed).ReportingCountries);
        Assert.Equal(["---"], all.Within(new HashSet<string>()).ReportingCountries); // an empty scope sees nothing, not everything
    }

    [Theory]
    [InlineData("2025-10-13", "2025-W42")]
    [InlineData("2024-12-30", "2025-W01")]
    [InlineData("2021-01-04", "2021-W01")]
    [InlineData("2020-12-28", "2020-W53")]
    public void Weekly_periods_are_written_as_sdmx_iso_weeks(string monday, string expected) =>
        Assert.Equal(expected, SdmxCsv.Week(DateOnly.Parse(monday, CultureInfo.InvariantCulture)));

    private static List<AnonymizedObservation> SampleRows(string country)
    {
        var directory = Path.Combine(Path.GetDirectoryName(RepositoryPolicy.Directory)!, "deploy", "sample");
        var csv = Path.Combine(directory, country + ".csv");
        if (File.Exists(csv))
        {
            var lines = File.ReadAllLines(csv);
            var header = lines[0].Split(',').ToList();
            return lines.Skip(1).Select((line, i) =>
            {
                var f = line.Split(',');
                return new AnonymizedObservation(i + 2, DateOnly.Parse(f[header.IndexOf("period")], CultureInfo.InvariantCulture), f[header.IndexOf("border_point")],
                    f[header.IndexOf("nationality")], f[header.IndexOf("category")], f[header.IndexOf("sex")], null, 10, false);
            }).ToList();
        }
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, country + ".json")));
        return json.RootElement.GetProperty("observations").EnumerateArray().Select((o, i) => new AnonymizedObservation(i + 1,
            DateOnly.Parse(o.GetProperty("period").GetString()!, CultureInfo.InvariantCulture), o.GetProperty("borderPoint").GetString()!,
            o.GetProperty("nationality").GetString()!, o.GetProperty("category").GetString()!, null, null, 10, false)).ToList();
    }
}
