using Npgsql;

namespace EarlyWarning.IntegrationTests;

/// <summary>Each service's database role, tried for real: it works in its own schema and nowhere else.</summary>
[Collection(SystemCollection.Name)]
public sealed class LeastPrivilegeTests(SystemFixture system)
{
    private static readonly string[] Schemas = ["ingestion", "anonymization", "classification", "alerting"];

    public static TheoryData<string> Services => new(Schemas);

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_service_role_reads_its_own_schema_and_is_refused_every_other_schema(string service)
    {
        _ = system; // the services have applied their migrations, so every schema has its tables
        await using var db = NpgsqlDataSource.Create(TestEnvironment.ServiceConnectionString(service));

        Assert.True(await CountAsync(db, $"SELECT count(*) FROM {service}.inbox") >= 0);
        foreach (var other in Schemas.Where(s => s != service))
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => CountAsync(db, $"SELECT count(*) FROM {other}.outbox"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        // Credentials: readable (to check keys), never writable by a service.
        Assert.True(await CountAsync(db, "SELECT count(*) FROM identity.api_keys") >= 0);
        var write = await Assert.ThrowsAsync<PostgresException>(() => CountAsync(db, "DELETE FROM identity.api_keys"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, write.SqlState);
        var create = await Assert.ThrowsAsync<PostgresException>(() => CountAsync(db, "CREATE SCHEMA intruder"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, create.SqlState);
    }

    [Fact]
    public async Task The_administrators_role_manages_credentials_and_cannot_read_any_service_schema()
    {
        await using var db = NpgsqlDataSource.Create(TestEnvironment.AdminConnectionString);

        Assert.True(await CountAsync(db, "SELECT count(*) FROM identity.api_keys") >= 0);
        foreach (var schema in Schemas)
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => CountAsync(db, $"SELECT count(*) FROM {schema}.inbox"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

    [Fact]
    public async Task A_service_role_cannot_log_in_without_its_password()
    {
        var withoutPassword = new NpgsqlConnectionStringBuilder(TestEnvironment.ServiceConnectionString("classification")) { Password = "wrong" };
        await using var db = NpgsqlDataSource.Create(withoutPassword.ConnectionString);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => CountAsync(db, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public void Each_service_process_holds_only_its_own_secrets_and_only_anonymization_the_pseudonym_secret()
    {
        foreach (var service in new[] { system.Ingestion, system.Anonymization, system.Classification, system.Alerting })
        {
            var environment = File.ReadAllText($"/proc/{service.ProcessId}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            Assert.DoesNotContain(environment, v => v.StartsWith("EW_", StringComparison.Ordinal) && !v.StartsWith("EW_PSEUDONYM_SECRET_", StringComparison.Ordinal));
            var pseudonym = environment.Any(v => v.StartsWith("EW_PSEUDONYM_SECRET_", StringComparison.Ordinal));
            Assert.False(pseudonym && service != system.Anonymization, $"{service.Name} holds the pseudonym secret");
        }
    }
}
