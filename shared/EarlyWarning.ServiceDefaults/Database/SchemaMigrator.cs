using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EarlyWarning.ServiceDefaults.Database;

/// <summary>
/// Applies versioned SQL files (embedded resources under Migrations/) to the service's own schema,
/// each once, in order, each in its own transaction. An advisory lock lets several instances start at once.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ServiceIdentity service, ILogger<SchemaMigrator> logger)
{
    /// <param name="includeShared">false for a schema without outbox and inbox (the administrator's identity schema).</param>
    public async Task MigrateAsync(Assembly serviceAssembly, CancellationToken ct = default, bool includeShared = true)
    {
        var migrations = (includeShared ? Load(typeof(SchemaMigrator).Assembly, "shared") : [])
            .Concat(Load(serviceAssembly, "service"))
            .ToList();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock(hashtext('migrations:{service.Schema}'))", ct);
        try
        {
            // Where the deployment created the schema for the service's role, that role may not create schemas
            // (PostgreSQL checks that privilege before IF NOT EXISTS), so it is created only when missing.
            await using (var exists = new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname = @schema", connection))
            {
                exists.Parameters.AddWithValue("schema", service.Schema);
                if ((long)(await exists.ExecuteScalarAsync(ct))! == 0)
                    await ExecuteAsync(connection, null, $"CREATE SCHEMA {service.Schema}", ct);
            }
            await ExecuteAsync(connection, null, $"""
                CREATE TABLE IF NOT EXISTS {service.Schema}.schema_migrations (
                    version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
                """, ct);
            var applied = new HashSet<string>();
            await using (var cmd = new NpgsqlCommand($"SELECT version FROM {service.Schema}.schema_migrations", connection))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));

            foreach (var (version, sql) in migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await ExecuteAsync(connection, transaction, $"SET LOCAL search_path TO {service.Schema}", ct);
                await ExecuteAsync(connection, transaction, sql, ct);
                await using (var record = new NpgsqlCommand(
                    $"INSERT INTO {service.Schema}.schema_migrations (version) VALUES (@v)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", version);
                    await record.ExecuteNonQueryAsync(ct);
                }
                await transaction.CommitAsync(ct);
                logger.LogInformation("Applied migration {Version} to schema {Schema}", version, service.Schema);
            }
        }
        finally
        {
            // A connection PostgreSQL dropped (restart, outage) has lost its session lock already; unlocking it would
            // throw "Connection is not open" and hide the outage from the start-up retry, which then gave up.
            if (connection.State == System.Data.ConnectionState.Open)
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock(hashtext('migrations:{service.Schema}'))", CancellationToken.None);
        }
    }

    private static IEnumerable<(string Version, string Sql)> Load(Assembly assembly, string origin) =>
        assembly.GetManifestResourceNames()
            .Where(name => name.Contains(".Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                var file = name[(name.LastIndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
                return ($"{origin}/{file}", reader.ReadToEnd());
            });

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, transaction);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
