using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// Found by the fault run: PostgreSQL restarted while a service, itself just restarted, was applying its migrations.
/// The session ended under the migrator and the service exited instead of waiting for PostgreSQL.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class StartupMigrationTests(SystemFixture system)
{
    [Fact]
    public async Task A_session_PostgreSQL_ends_during_migration_is_an_outage_that_start_up_waits_through()
    {
        var schema = "migration_outage_" + Guid.NewGuid().ToString("N")[..8];
        var migrator = new SchemaMigrator(system.Database, new ServiceIdentity("startup-test", schema), NullLogger<SchemaMigrator>.Instance);
        var startup = ResiliencePipelineProvider.StartupPipeline(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));
        try
        {
            // Another instance holds the migration lock, so the migrator waits on it; then its session is ended as a
            // PostgreSQL restart ends every session.
            await using var holder = await system.Database.OpenConnectionAsync();
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock(hashtext('migrations:{schema}'))", holder))
                await take.ExecuteNonQueryAsync();
            var attempts = 0;
            var migrating = startup.ExecuteAsync(async ct =>
            {
                Interlocked.Increment(ref attempts);
                await migrator.MigrateAsync(typeof(StartupMigrationTests).Assembly, ct);
            }).AsTask();
            Assert.Equal(1, await system.WaitForCountAsync(
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%migrations:{schema}%' AND pid <> pg_backend_pid()",
                1, TimeSpan.FromSeconds(30)));
            await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock(hashtext('migrations:{schema}'))", holder))
                await release.ExecuteNonQueryAsync();

            await migrating;

            Assert.True(attempts >= 2, $"the migration ran {attempts} time(s)");
            // The shared outbox and inbox migrations were all applied on the retry.
            Assert.True(await system.ScalarAsync($"SELECT count(*) FROM {schema}.schema_migrations") >= 4);
        }
        finally
        {
            await using var drop = system.Database.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
