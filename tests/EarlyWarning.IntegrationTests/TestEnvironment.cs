namespace EarlyWarning.IntegrationTests;

/// <summary>Where the broker and database started by deploy/local/test.sh are (the same variables the services read).</summary>
internal static class TestEnvironment
{
    /// <summary>The superuser's connection, for the tests' own inspection of every schema.</summary>
    public static string DatabaseConnectionString => Require("Database__ConnectionString");
    /// <summary>The connection of one service's own role (given to that service alone).</summary>
    public static string ServiceConnectionString(string service) => Require($"EW_{service.ToUpperInvariant()}__Database__ConnectionString");
    /// <summary>The administrator's role (earlywarning-admin): the identity schema only.</summary>
    public static string AdminConnectionString => Require("EW_ADMIN__Database__ConnectionString");
    public static int AmqpPort => int.Parse(Require("RabbitMq__Port"));
    /// <summary>First of the four loopback ports the services under test listen on (EW_TEST_PORT_BASE, default 5201).</summary>
    public static int ServicePortBase => int.TryParse(Environment.GetEnvironmentVariable("EW_TEST_PORT_BASE"), out var port) ? port : 5201;
    /// <summary>The regional virtual host (Classification, Alerting), where the tests' own bus works.</summary>
    public static string VirtualHost => Environment.GetEnvironmentVariable("RabbitMq__VirtualHost") ?? "/";
    /// <summary>The national virtual host (Ingestion, Anonymization: record-level data).</summary>
    public static string NationalVirtualHost => Require("EW_NATIONAL_VHOST");
    /// <summary>A service's own broker user and password.</summary>
    public static (string User, string Password) BrokerUser(string service) =>
        (Require($"EW_{service.ToUpperInvariant()}__RabbitMq__Username"), Require($"EW_{service.ToUpperInvariant()}__RabbitMq__Password"));

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Debug or Release: the services are run from the same configuration as the tests.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException(
            $"{name} is not set. The integration tests need the broker and database that ./deploy/local/test.sh starts; run the tests with it.");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EarlyWarning.sln"))) return dir.FullName;
        throw new InvalidOperationException("EarlyWarning.sln not found above " + AppContext.BaseDirectory);
    }
}
