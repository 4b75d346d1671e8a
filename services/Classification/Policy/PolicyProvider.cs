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

    private static string ResolveDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, "policy", "codelists"))) return Path.Combine(dir.FullName, "policy");
        throw new PolicyException("policy", "Classification__PolicyDirectory", $"no policy/codelists folder above {AppContext.BaseDirectory}; set the option");
    }
}
