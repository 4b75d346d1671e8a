using System.Globalization;
using System.Text;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// The policy the services under test read: a copy of the repository's policy/ (tests may add a mapping to it, as
/// an operator would) plus a gazetteer file of test-only border points, so that each test can have a place of its
/// own that the policy lists.
/// </summary>
internal static class TestPolicy
{
    public const int PointsPerCountry = 1000;
    private static readonly string[] Countries = ["BRA", "CHL", "COL", "CRI", "ECU", "MEX", "PAN", "PER"];
    private static int _nextPoint;

    /// <summary>Distinguishes this run's test places from any earlier run's.</summary>
    public static string RunTag { get; } = "R" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), "earlywarning-test-policy-" + RunTag);

    /// <summary>A border point of this run that no other test uses; listed in the gazetteer for every country with a mapping table.</summary>
    public static string NewBorderPoint()
    {
        var n = Interlocked.Increment(ref _nextPoint);
        if (n > PointsPerCountry) throw new InvalidOperationException($"more than {PointsPerCountry} test border points; raise TestPolicy.PointsPerCountry");
        return $"Test {RunTag}P{n:D4}";
    }

    public static void Prepare()
    {
        var source = Path.Combine(TestEnvironment.RepositoryRoot, "policy");
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*.yaml", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Directory, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        foreach (var country in Countries)
        {
            var text = new StringBuilder($"# Border points of the integration tests ({RunTag}).\ncountry: {country}\nversion: 1\nregions:\n  - code: {country}-TESTS\n    name: Integration tests\n    points:\n");
            for (var n = 1; n <= PointsPerCountry; n++)
                text.Append(CultureInfo.InvariantCulture,
                    $"      - {{code: {country}-TEST-{RunTag}P{n:D4}, name: Test {RunTag}P{n:D4}, kind: flow-monitoring, lat: 0, lon: 0}}\n");
            File.WriteAllText(Path.Combine(Directory, "places", $"zz-tests-{country}.yaml"), text.ToString());
        }
    }

    /// <summary>Appends to a policy file of the services under test, as an operator adding a mapping would.</summary>
    public static void Append(string relativePath, string yaml) => File.AppendAllText(Path.Combine(Directory, relativePath), yaml);

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

    public static void Write(string relativePath, string text) => File.WriteAllText(Path.Combine(Directory, relativePath), text);
}
