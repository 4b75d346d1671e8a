using System.Diagnostics;
using EarlyWarning.Classification;
using EarlyWarning.Classification.Mapping;
using EarlyWarning.Classification.Policy;
using EarlyWarning.Contracts;
using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// Classification alone, without the broker: cells per second through the classifier (policy lookups of
// national spellings, as the consumer does per batch of 1,000), and rows per second of the harmonized store's
// bulk write into PostgreSQL (the COPY the consumer runs inside its transaction).
// Usage: EarlyWarning.Classification.Benchmarks <policy dir> [cells, default 1,000,000]; the database is
// Database__ConnectionString (deploy/local/bench-classification.sh sets it).

var policy = PolicyLoader.Load(args.Length > 0 ? args[0] : "policy");
var cells = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
const int batchSize = 1000;
var batches = Workload.Batches(cells, batchSize);
Console.WriteLine($"policy {policy.Digest}: {policy.Tables.Count} mapping tables, {policy.Places.Count} places; {cells:N0} cells in batches of {batchSize:N0}");

// Warm-up, then the best of three runs (the machine is shared).
foreach (var b in batches.Take(50)) Classifier.Classify(b.ReportingCountry, b.Observations, policy);
var best = TimeSpan.MaxValue;
var held = 0;
for (var run = 0; run < 3; run++)
{
    held = 0;
    var clock = Stopwatch.StartNew();
    foreach (var b in batches) held += Classifier.Classify(b.ReportingCountry, b.Observations, policy).Held.Count;
    best = clock.Elapsed < best ? clock.Elapsed : best;
}
Console.WriteLine($"classifier            {cells / best.TotalSeconds,14:N0} cells/s   ({best.TotalMilliseconds:N0} ms; {held:N0} cells held, {(double)held / cells:P2})");

var connectionString = Environment.GetEnvironmentVariable("Database__ConnectionString");
if (connectionString is null)
{
    Console.WriteLine("harmonized bulk write: skipped (Database__ConnectionString is not set; run deploy/local/bench-classification.sh)");
    return;
}
var identity = new ServiceIdentity("classification-bench", "classification_bench");
var builder = new NpgsqlDataSourceBuilder(connectionString);
builder.ConnectionStringBuilder.SearchPath = identity.Schema;
await using var db = builder.Build();
await using (var drop = db.CreateCommand($"DROP SCHEMA IF EXISTS {identity.Schema} CASCADE")) await drop.ExecuteNonQueryAsync();
await new SchemaMigrator(db, identity, NullLogger<SchemaMigrator>.Instance).MigrateAsync(typeof(ClassificationOptions).Assembly);

var classified = batches.Select(b => (Batch: b, Result: Classifier.Classify(b.ReportingCountry, b.Observations, policy))).ToList();
var written = classified.Sum(c => c.Result.Harmonized.Count + c.Result.Held.Count);
var write = Stopwatch.StartNew();
// As the consumer: one transaction per batch, several at once (its concurrency limit is 8).
await Parallel.ForEachAsync(classified, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
{
    await using var connection = await db.OpenConnectionAsync(ct);
    await using var transaction = await connection.BeginTransactionAsync(ct);
    await HarmonizedStore.WriteAsync(connection, c.Batch, c.Result, traceId: null, replayed: false, ct);
    await transaction.CommitAsync(ct);
});
var elapsed = write.Elapsed;
Console.WriteLine($"harmonized bulk write {written / elapsed.TotalSeconds,14:N0} rows/s    ({elapsed.TotalMilliseconds:N0} ms; {written:N0} rows, 8 concurrent transactions)");
await using (var count = db.CreateCommand("SELECT (SELECT count(*) FROM harmonized_observations) + (SELECT count(*) FROM held_cells)"))
    if ((long)(await count.ExecuteScalarAsync())! != written) throw new InvalidOperationException("rows missing after the bulk write");
await using (var drop = db.CreateCommand($"DROP SCHEMA {identity.Schema} CASCADE")) await drop.ExecuteNonQueryAsync();

/// <summary>Batches of national cells as the eight countries write them: their spellings of categories, places and nationalities.</summary>
internal static class Workload
{
    private static readonly (string Country, string[] Places, string[] Categories)[] Countries =
    [
        ("CHL", ["Colchane", "Complejo Fronterizo Colchane", "Chacalluta", "AMB"], ["Ingreso por paso no habilitado", "Autodenuncia", "Reconducción", "Solicitud de refugio"]),
        ("PER", ["Tumbes CEBAF", "CEBAF Tumbes", "Santa Rosa", "Desaguadero"], ["Ingreso irregular", "CPP otorgado", "Inadmisión", "Solicitud de refugio"]),
        ("COL", ["Puente Simón Bolívar", "Rumichaca", "Necoclí", "Paraguachón"], ["PPT otorgado", "Ingreso irregular", "Tránsito irregular", "Inadmisión"]),
        ("ECU", ["Rumichaca", "Huaquillas", "CEBAF Huaquillas", "San Miguel"], ["Visa VIRTE", "Ingreso irregular", "Deportación", "Ingreso regular"]),
        ("PAN", ["Lajas Blancas", "ERM San Vicente", "Paso Canoas", "Tocumen"], ["Tránsito por Darién", "Ingreso", "Ingreso irregular", "Deportación"]),
        ("CRI", ["Paso Canoas", "Peñas Blancas", "CATEM Sur", "Los Chiles"], ["Flujo migratorio irregular en tránsito", "Ingreso", "Rechazos", "Solicitudes de refugio"]),
        ("BRA", ["Pacaraima", "PRI Pacaraima", "Boa Vista", "Bonfim"], ["Autorização de residência", "Solicitação de refúgio", "Atendimentos de entrada", "Entrada regular"]),
        ("MEX", ["Tapachula", "Ciudad Hidalgo", "Cd. Hidalgo", "Tijuana"], ["Eventos de personas en situación migratoria irregular", "TVRH", "Solicitud de asilo", "Retorno asistido"]),
    ];

    // Age groups as the agreements publish them, and as some countries write them (mapped to CL_AGE by each table).
    private static readonly string?[] Ages = [null, null, "0-17", "18-59", "60+", "Y_GE18"];

    private static readonly string[] Nationalities =
        ["venezolana", "Venezolanos", "VEN", "haitiana", "HAITIANOS", "HTI", "colombiana", "cubana", "ecuatoriano", "China", "india", "afganos", "862", "Haïtienne", "venezuelano"];

    public static List<ObservationsAnonymized> Batches(int cells, int batchSize)
    {
        var random = new Random(42);
        var batches = new List<ObservationsAnonymized>();
        for (var start = 0; start < cells; start += batchSize)
        {
            var (country, places, categories) = Countries[batches.Count % Countries.Length];
            var submission = Guid.NewGuid();
            var rows = Enumerable.Range(1, Math.Min(batchSize, cells - start)).Select(i => new AnonymizedObservation(i,
                new DateOnly(2024, 1, 1).AddDays(7 * random.Next(104)), places[random.Next(places.Length)], Nationalities[random.Next(Nationalities.Length)],
                categories[random.Next(categories.Length)], random.Next(2) == 0 ? "F" : "M", Ages[random.Next(Ages.Length)], random.Next(5, 300), false)).ToList();
            batches.Add(new ObservationsAnonymized(submission, country, 1, 1, DateTimeOffset.UtcNow, rows));
        }
        return batches;
    }
}
