using EarlyWarning.Detection.Surveillance;
using Microsoft.Extensions.Configuration;

namespace EarlyWarning.Evaluation;

/// <summary>
/// The detection policy the ceiling runs: the "Detection" section of a JSON file shaped like Alerting's appsettings.json,
/// then Detection__… environment variables, bound as the service binds them (the backtest's PolicyFile approach).
/// </summary>
internal static class DetectionPolicyFile
{
    public static DetectionPolicy Load(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"--config '{path}' does not exist");
        var policy = new DetectionPolicy();
        new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false).AddEnvironmentVariables().Build()
            .GetSection(DetectionPolicy.Section).Bind(policy);
        if (policy.Problems() is { Count: > 0 } problems) throw new ArgumentException($"{path}: {string.Join("; ", problems)}");
        return policy;
    }
}
