using Microsoft.Extensions.Options;

namespace EarlyWarning.Classification.Policy;

/// <summary>
/// The policy in force. Loaded once at start-up (an invalid file stops the service); reloaded on an operator's
/// request, where an invalid file is refused and the policy in force stays.
/// </summary>
internal sealed class PolicyProvider(IOptions<ClassificationOptions> options, ILogger<PolicyProvider> logger)
{
    private readonly Lock _reload = new();
    private RegionalPolicy? _current;

    public string Directory { get; } = ResolveDirectory(options.Value.PolicyDirectory);

    public RegionalPolicy Current => _current ?? Reload();

    /// <summary>Reads the files again; throws <see cref="PolicyException"/> (and keeps the current policy) if one is invalid.</summary>
    public RegionalPolicy Reload()
    {
        lock (_reload)
        {
            var policy = PolicyLoader.Load(Directory);
            if (_current?.Digest != policy.Digest)
                logger.LogInformation("Policy {Digest} loaded from {Directory}: {CodeLists}; mapping tables {Tables}", policy.Digest, Directory,
                    policy.CodeListVersions, string.Join(' ', policy.Tables.Values.Select(t => t.Reference).Order(StringComparer.Ordinal)));
            return _current = policy;
        }
    }

    /// <summary>Records the policy in force (its digest is on every harmonized cell) with the versions behind it.</summary>
    public static async Task RecordAsync(Npgsql.NpgsqlDataSource db, RegionalPolicy policy, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "INSERT INTO policy_versions (policy_digest, code_lists, mapping_tables) VALUES (@digest, @lists, @tables) ON CONFLICT DO NOTHING");
        cmd.Parameters.AddWithValue("digest", policy.Digest);
        cmd.Parameters.AddWithValue("lists", policy.CodeListVersions);
        cmd.Parameters.AddWithValue("tables", string.Join(' ', policy.Tables.Values.Select(t => t.Reference).Order(StringComparer.Ordinal)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string ResolveDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, "policy", "codelists"))) return Path.Combine(dir.FullName, "policy");
        throw new PolicyException("policy", "Classification__PolicyDirectory", $"no policy/codelists folder above {AppContext.BaseDirectory}; set the option");
    }
}
