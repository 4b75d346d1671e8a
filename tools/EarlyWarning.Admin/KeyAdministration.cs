using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Database;
using EarlyWarning.ServiceDefaults.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EarlyWarning.Admin;

/// <summary>A credential as it is listed: never its key, which only its holder has.</summary>
internal sealed record IssuedKey(StoredApiKey Stored, ApiKey Key);

/// <summary>Issues, lists, rotates and revokes API keys in the identity schema (as the administrator's role).</summary>
internal sealed class KeyAdministration(NpgsqlDataSource dataSource)
{
    private static readonly ServiceIdentity Identity = new("earlywarning-admin", "identity");

    public Task MigrateAsync(CancellationToken ct) =>
        new SchemaMigrator(dataSource, Identity, NullLogger<SchemaMigrator>.Instance).MigrateAsync(typeof(KeyAdministration).Assembly, ct, includeShared: false);

    public async Task<IssuedKey> IssueAsync(string name, string role, string? country, IReadOnlyList<string> countries, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await InsertAsync(connection, null, name, role, country, countries, ct);
    }

    public async Task<IReadOnlyList<StoredApiKey>> ListAsync(bool includeRevoked, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT key_id, name, role, country, countries, salt, hash, created_at, revoked_at FROM identity.api_keys WHERE @all OR revoked_at IS NULL ORDER BY created_at");
        cmd.Parameters.AddWithValue("all", includeRevoked);
        var keys = new List<StoredApiKey>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) keys.Add(ApiKeyStore.Read(reader));
        return keys;
    }

    /// <summary>Issues a new key with the same holder, role and scope, and revokes the old one in the same transaction.</summary>
    public async Task<IssuedKey?> RotateAsync(Guid keyId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        StoredApiKey old;
        await using (var select = new NpgsqlCommand(
            "SELECT key_id, name, role, country, countries, salt, hash, created_at, revoked_at FROM identity.api_keys WHERE key_id = @id AND revoked_at IS NULL FOR UPDATE",
            connection, transaction))
        {
            select.Parameters.AddWithValue("id", keyId);
            await using var reader = await select.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            old = ApiKeyStore.Read(reader);
        }
        var issued = await InsertAsync(connection, transaction, old.Name, old.Role, old.Country, old.Countries, ct);
        await using (var revoke = new NpgsqlCommand(
            "UPDATE identity.api_keys SET revoked_at = clock_timestamp(), replaced_by = @new WHERE key_id = @id", connection, transaction))
        {
            revoke.Parameters.AddWithValue("id", keyId);
            revoke.Parameters.AddWithValue("new", issued.Key.KeyId);
            await revoke.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return issued;
    }

    public async Task<bool> RevokeAsync(Guid keyId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE identity.api_keys SET revoked_at = clock_timestamp() WHERE key_id = @id AND revoked_at IS NULL");
        cmd.Parameters.AddWithValue("id", keyId);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    private static async Task<IssuedKey> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        string name, string role, string? country, IReadOnlyList<string> countries, CancellationToken ct)
    {
        var key = ApiKey.Generate();
        var salt = ApiKey.NewSalt();
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO identity.api_keys (key_id, name, role, country, countries, salt, hash)
            VALUES (@id, @name, @role, @country, @countries, @salt, @hash)
            RETURNING key_id, name, role, country, countries, salt, hash, created_at, revoked_at
            """, connection, transaction);
        cmd.Parameters.AddWithValue("id", key.KeyId);
        cmd.Parameters.AddWithValue("name", name);
        cmd.Parameters.AddWithValue("role", role);
        cmd.Parameters.AddWithValue("country", NpgsqlTypes.NpgsqlDbType.Char, (object?)country ?? DBNull.Value);
        cmd.Parameters.AddWithValue("countries", countries.ToArray());
        cmd.Parameters.AddWithValue("salt", salt);
        cmd.Parameters.AddWithValue("hash", key.Hash(salt));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new IssuedKey(ApiKeyStore.Read(reader), key);
    }
}
