using Npgsql;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>A stored credential: who holds it and what it may do. Never the key itself.</summary>
public sealed record StoredApiKey(Guid KeyId, string Name, string Role, string? Country, IReadOnlyList<string> Countries, byte[] Salt, byte[] Hash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// Reads credentials from the identity schema. Services may only read it (SELECT granted to their
/// roles); only the administrator's role, used by earlywarning-admin, writes it.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource)
{
    public async Task<StoredApiKey?> FindActiveAsync(Guid keyId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT key_id, name, role, country, countries, salt, hash, created_at, revoked_at FROM identity.api_keys WHERE key_id = @id AND revoked_at IS NULL");
        cmd.Parameters.AddWithValue("id", keyId);
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? Read(reader) : null;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            // No credential has been issued yet (earlywarning-admin creates the table), so none can match.
            return null;
        }
    }

    /// <summary>Reads key_id, name, role, country, countries, salt, hash, created_at, revoked_at in that order.</summary>
    public static StoredApiKey Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetFieldValue<string[]>(4), reader.GetFieldValue<byte[]>(5), reader.GetFieldValue<byte[]>(6),
        reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8));
}
