using System.Diagnostics;

namespace EarlyWarning.IntegrationTests;

/// <summary>Stops and starts the broker and database that deploy/local/test.sh started (deploy/local/infra.sh), to cause outages.</summary>
internal static class LocalServers
{
    public static Task StopPostgresAsync() => InfraAsync("pg-down");
    public static Task StartPostgresAsync() => InfraAsync("pg-up");

    private static async Task InfraAsync(string command)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(TestEnvironment.RepositoryRoot, "deploy", "local", "infra.sh"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"infra.sh {command} failed: {await output}");
    }
}
