using EarlyWarning.Detection.Surveillance;
using Microsoft.Extensions.Configuration;

namespace EarlyWarning.Backtest;

/// <summary>
/// Reads a detection policy from a JSON file with the shape of Alerting's appsettings.json ("Detection": {…}),
/// bound as the service binds it, so a file tried here can be deployed as it is.
/// </summary>
internal static class PolicyFile
{
    public static DetectionPolicy Load(string? path)
    {
        var policy = new DetectionPolicy();
        if (path is not null)
        {
            if (!File.Exists(path)) throw new ArgumentException($"--config '{path}' does not exist");
            new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false).Build().GetSection(DetectionPolicy.Section).Bind(policy);
        }
        if (policy.Problems() is { Count: > 0 } problems)
            throw new ArgumentException($"{path}: {string.Join("; ", problems)}");
        return policy;
    }
}
