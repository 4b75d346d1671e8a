using System.Diagnostics;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// The broker and database of the run: chosen once (TestServerSelection), then stopped and started by tests to
/// cause outages: the local servers with deploy/local/infra.sh, the containers with Testcontainers.
/// </summary>
internal static class LocalServers
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static ContainerServers? _containers;

    public static TestServerChoice? Choice { get; private set; }

    /// <summary>Chooses the servers (starting containers if that is the choice) and says which, once per test run.</summary>
    public static async Task EnsureAsync(IMessageSink diagnostics)
    {
        await Gate.WaitAsync();
        try
        {
            if (Choice is not null) return;
            var docker = await DockerEngine.ProbeAsync(Environment.GetEnvironmentVariable("DOCKER_HOST"), TimeSpan.FromSeconds(2));
            var choice = TestServerSelection.Choose(Environment.GetEnvironmentVariable(TestServerSelection.Variable), docker,
                localServersConfigured: Environment.GetEnvironmentVariable("Database__ConnectionString") is not null);
            if (choice.Servers == TestServers.Containers) _containers = await ContainerServers.StartAsync();
            var line = $"Integration-test servers: {choice.Servers} ({choice.Reason})" +
                       (_containers is { } c ? $"; RabbitMQ on 127.0.0.1:{c.AmqpPort}, PostgreSQL on 127.0.0.1:{c.PostgresPort}" : "");
            diagnostics.OnMessage(new DiagnosticMessage(line));
            Console.Error.WriteLine(line);
            Choice = choice;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static Task StopPostgresAsync() => _containers?.StopPostgresAsync() ?? InfraAsync("pg-down");
    public static Task StartPostgresAsync() => _containers?.StartPostgresAsync() ?? InfraAsync("pg-up");

    public static async Task DisposeAsync()
    {
        if (_containers is not null) await _containers.DisposeAsync();
        _containers = null;
    }

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
