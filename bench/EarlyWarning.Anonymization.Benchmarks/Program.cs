using System.Diagnostics;
using System.Globalization;
using EarlyWarning.Anonymization.Agreements;
using EarlyWarning.Contracts;

// The agreement alone, without I/O (deploy/local/bench-anonymization.sh runs it in Release):
// records/s through the record-level step (identifiers dropped or pseudonymized, birth dates to age bands)
// and cells/s through the table release (aggregation, generalization, primary and secondary suppression
// with the elimination audit, rounding), on tables shaped like national data.
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => args.ElementAtOrDefault(p.i + 1) ?? "");
var records = int.Parse(options.GetValueOrDefault("records", "1000000"), CultureInfo.InvariantCulture);
var weeks = int.Parse(options.GetValueOrDefault("weeks", "104"), CultureInfo.InvariantCulture);

var directory = options.GetValueOrDefault("agreements") ?? Path.Combine(AppContext.BaseDirectory, "policy", "agreements");
Environment.SetEnvironmentVariable("EW_PSEUDONYM_SECRET_CHL", Environment.GetEnvironmentVariable("EW_PSEUDONYM_SECRET_CHL") ?? new string('b', 48));
var catalog = AgreementCatalog.Load(directory, Environment.GetEnvironmentVariable);
Console.WriteLine($"Agreement engine benchmark: {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, one thread");

// Record level: one row per crossing with a name, a document number and a birth date (Chile keeps pseudonyms).
var random = new Random(7);
string[] nationalities = ["venezolana", "haitiana", "colombiana", "peruana", "cubana"];
var rows = Enumerable.Range(0, records).Select(i => new RawObservation(i + 1, new DateOnly(2024, 1, 1).AddDays(7 * (i % weeks)), $"Paso {i % 3}",
    nationalities[i % 5], "Ingreso por paso no habilitado", i % 2 == 0 ? "F" : "M", null, 1,
    new Dictionary<string, string>
    {
        ["full_name"] = $"Persona {i}", ["document_number"] = $"V{i:D9}",
        ["birth_date"] = new DateOnly(1950, 1, 1).AddDays(random.Next(0, 27_000)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    })).ToList();
var chile = catalog.For("CHL");
RecordLevel.Prepare(rows.Take(10_000).ToList(), chile); // JIT
var clock = Stopwatch.StartNew();
var prepared = RecordLevel.Prepare(rows, chile);
var recordSeconds = clock.Elapsed.TotalSeconds;

// Tables: 3 border points × 5 nationalities × sex × 4 age groups, weekly, series of 8 to 40 a week, so that most
// detail cells are below k; as many copies (other categories) as it takes to reach about a million detail cells.
var cells = new List<SourceCell>();
string[] ages = ["0-17", "18-29", "30-44", "60+"];
for (var copy = 0; cells.Count < 1_000_000; copy++)
for (var p = 0; p < 3; p++)
foreach (var nationality in nationalities)
{
    var level = random.Next(8, 41);
    for (var w = 0; w < weeks; w++)
    {
        var detail = new long[8];
        for (var n = random.Next(level / 2, level * 3 / 2); n > 0; n--) detail[random.Next(8)]++;
        for (var c = 0; c < 8; c++)
            cells.Add(new SourceCell(new GroupKey(new DateOnly(2024, 1, 1).AddDays(7 * w), $"Paso {p}", nationality, $"Categoria {copy}"),
                c < 4 ? "F" : "M", ages[c % 4], detail[c], cells.Count + 1));
    }
}
Console.WriteLine();
Console.WriteLine($"{"step",-44} {"input",12} {"output cells",13} {"seconds",8} {"per second",12}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{"record level (pseudonyms, age bands), CHL",-44} {records,12:N0} {prepared.Cells.Count,13:N0} {recordSeconds,8:N2} {records / recordSeconds,12:N0} records/s"));
foreach (var country in new[] { "CHL", "PER" })
{
    var agreement = catalog.For(country);
    TableReleaser.Apply(agreement, cells.Take(8_000), new Dictionary<CellKey, long[]>()); // JIT
    clock.Restart();
    var release = TableReleaser.Apply(agreement, cells, new Dictionary<CellKey, long[]>());
    var seconds = clock.Elapsed.TotalSeconds;
    var rules = string.Join(", ", agreement.Tables.Select(t => t.Rule is ThresholdRule th ? $"k={th.K}" : "rounded"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{$"tables ({rules}), {country}",-44} {cells.Count,12:N0} {release.Cells.Count,13:N0} {seconds,8:N2} {cells.Count / seconds,12:N0} cells/s"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  detail cells below k: {cells.Count(c => c.Count is > 0 and < 5) * 100.0 / cells.Count:N0}%; released {release.Counts.Released:N0}: primary {release.Counts.PrimarySuppressed:N0}, secondary {release.Counts.SecondarySuppressed:N0}, rounded {release.Counts.Rounded:N0}; series totals suppressed: {release.Cells.Count(c => c.Table == "series" && c.Value is null):N0} of {release.Cells.Count(c => c.Table == "series"):N0}"));
}
