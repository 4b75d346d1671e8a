using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// RabbitMQ 3.10 and PostgreSQL 15 in containers (Testcontainers), prepared as deploy/local/infra.sh prepares the
/// local servers: one database role and one broker user per service with their own passwords, the national and
/// regional virtual hosts joined by the shovel, the firehose on the regional side; then the same environment
/// variables ew_service_env exports, so the fixture and the services run unchanged.
/// </summary>
internal sealed class ContainerServers : IAsyncDisposable
{
    private const string Database = "earlywarning_test";
    private const string VirtualHost = "earlywarning-test";
    private const string OutboundQueue = "regional-outbound-observations-anonymized";
    private const string OutboundExchange = "EarlyWarning.Contracts:ObservationsAnonymized";
    private const string ReturnQueue = "regional-return-progress";
    private const string ReturnExchanges = "^(EarlyWarning\\.Contracts:SubmissionProgressed|MassTransit:Fault--EarlyWarning\\.Contracts:Observations(Anonymized|Harmonized)--)$";
    private static readonly Dictionary<string, string> Sides = new()
    {
        ["ingestion"] = "national", ["anonymization"] = "national", ["classification"] = "regional", ["alerting"] = "regional",
    };

    private readonly PostgreSqlContainer _postgres;
    private readonly RabbitMqContainer _rabbit;
    private readonly string _superuserPassword = Secret();

    private ContainerServers(int amqpPort, int managementPort, int postgresPort)
    {
        AmqpPort = amqpPort;
        ManagementPort = managementPort;
        PostgresPort = postgresPort;
        // Fixed host ports (free ones, chosen at start): a container stopped and started again by a test keeps them.
        _postgres = new PostgreSqlBuilder("postgres:15")
            .WithUsername("postgres").WithPassword(_superuserPassword).WithDatabase("postgres")
            .WithPortBinding(postgresPort, 5432)
            .Build();
        _rabbit = new RabbitMqBuilder("rabbitmq:3.10-management")
            // guest is the tests' inspection user, as on the local servers; in a container its connections are not loopback.
            .WithUsername("guest").WithPassword("guest")
            .WithResourceMapping(Encoding.UTF8.GetBytes("loopback_users = none\nmax_message_size = 16777216\n"), "/etc/rabbitmq/conf.d/90-earlywarning.conf")
            .WithResourceMapping(Encoding.UTF8.GetBytes("[rabbitmq_management,rabbitmq_prometheus,rabbitmq_shovel].\n"), "/etc/rabbitmq/enabled_plugins")
            .WithPortBinding(amqpPort, 5672)
            .WithPortBinding(managementPort, 15672)
            .Build();
    }

    public int AmqpPort { get; }
    public int ManagementPort { get; }
    public int PostgresPort { get; }

    public static async Task<ContainerServers> StartAsync()
    {
        var servers = new ContainerServers(FreePort(), FreePort(), FreePort());
        await Task.WhenAll(servers._postgres.StartAsync(), servers._rabbit.StartAsync());
        await servers.PreparePostgresAsync();
        await servers.PrepareRabbitAsync();
        servers.ExportEnvironment();
        return servers;
    }

    /// <summary>Stops PostgreSQL, keeping its data, to cause an outage (OutageTests).</summary>
    public Task StopPostgresAsync() => _postgres.StopAsync();

    public Task StartPostgresAsync() => _postgres.StartAsync();

    private readonly Dictionary<string, string> _passwords = [];
    private string Password(string name) => _passwords.TryGetValue(name, out var known) ? known : _passwords[name] = Secret();

    private string Url(string database, string user, string password) =>
        $"Host=127.0.0.1;Port={PostgresPort};Database={database};Username={user};Password={password}";

    private async Task PreparePostgresAsync()
    {
        await using (var server = NpgsqlDataSource.Create(Url("postgres", "postgres", _superuserPassword)))
        {
            foreach (var role in new[] { "ew_admin" }.Concat(Sides.Keys.Select(s => "ew_" + s)))
                await ExecuteAsync(server, $"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{Password(role)}'");
            await ExecuteAsync(server, "CREATE ROLE earlywarning LOGIN");
            await ExecuteAsync(server, $"CREATE DATABASE {Database} OWNER earlywarning");
        }
        // The grants of ew_database in deploy/local/infra.sh: each service owns its schema and nothing else.
        var services = string.Join(", ", Sides.Keys.Select(s => "ew_" + s));
        var sql = new StringBuilder()
            .AppendLine($"REVOKE ALL ON DATABASE {Database} FROM PUBLIC;")
            .AppendLine($"GRANT CONNECT ON DATABASE {Database} TO ew_admin, {services};")
            .AppendLine($"GRANT TEMPORARY ON DATABASE {Database} TO ew_ingestion;")
            .AppendLine("REVOKE ALL ON SCHEMA public FROM PUBLIC;");
        foreach (var service in Sides.Keys) sql.AppendLine($"CREATE SCHEMA {service} AUTHORIZATION ew_{service};");
        sql.AppendLine("CREATE SCHEMA identity AUTHORIZATION ew_admin;")
            .AppendLine($"GRANT USAGE ON SCHEMA identity TO {services};")
            .AppendLine($"ALTER DEFAULT PRIVILEGES FOR ROLE ew_admin IN SCHEMA identity GRANT SELECT ON TABLES TO {services};");
        await using var database = NpgsqlDataSource.Create(Url(Database, "postgres", _superuserPassword));
        await ExecuteAsync(database, sql.ToString());
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql)
    {
        await using var cmd = source.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Virtual hosts, users, permissions and the shovel of ew_vhost, through the management API.</summary>
    private async Task PrepareRabbitAsync()
    {
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort}/api/") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        async Task Put(string path, object body) => (await api.PutAsJsonAsync(path, body)).EnsureSuccessStatusCode();
        static string Escape(string segment) => Uri.EscapeDataString(segment);
        string national = $"{VirtualHost}-national", regional = $"{VirtualHost}-regional";

        await Put($"vhosts/{Escape(national)}", new { });
        await Put($"vhosts/{Escape(regional)}", new { tracing = true });
        foreach (var vhost in new[] { national, regional })
            await Put($"permissions/{Escape(vhost)}/guest", new { configure = ".*", write = ".*", read = ".*" });
        foreach (var (service, side) in Sides)
        {
            var own = service == "anonymization" ? $"{service}-.*|{OutboundQueue}" : side == "regional" ? $"{service}-.*|{ReturnQueue}" : $"{service}-.*";
            if (service == "alerting") own += "|earlywarning\\.alerts";
            var pattern = $"^({own}|EarlyWarning\\.Contracts:.*|MassTransit:Fault.*|.*_bus_.*)$";
            await Put($"users/ew-{service}", new { password = Password($"rabbit-ew-{service}"), tags = "" });
            await Put($"permissions/{Escape($"{VirtualHost}-{side}")}/ew-{service}", new { configure = pattern, write = pattern, read = pattern });
        }
        // Bus subscribers of alert delivery (deploy/local/infra.sh's ew_alert_subscriber): their own queues, and bindings by the countries they may see.
        foreach (var (user, countries) in new[] { ("ew-alert-subscriber", "[A-Z]{3}"), ("ew-alert-subscriber-per", "PER") })
        {
            await Put($"users/{user}", new { password = Password($"rabbit-{user}"), tags = "" });
            await Put($"permissions/{Escape(regional)}/{user}", new { configure = "^alert-subscriber-.*$", write = "^alert-subscriber-.*$", read = "^(alert-subscriber-.*|earlywarning\\.alerts)$" });
            await Put($"topic-permissions/{Escape(regional)}/{user}", new { exchange = "earlywarning.alerts", write = "^$", read = $"^({countries})\\..*" });
        }
        await Put("users/ew-shovel", new { password = Password("rabbit-ew-shovel"), tags = "" });
        await Put($"permissions/{Escape(national)}/ew-shovel", new { configure = $"^{OutboundQueue}$", write = ReturnExchanges, read = $"^{OutboundQueue}$" });
        await Put($"permissions/{Escape(regional)}/ew-shovel", new { configure = $"^{ReturnQueue}$", write = "^EarlyWarning\\.Contracts:ObservationsAnonymized$", read = $"^{ReturnQueue}$" });
        // Inside the container the broker is on its own loopback.
        var uri = $"amqp://ew-shovel:{Password("rabbit-ew-shovel")}@127.0.0.1:5672";
        await Put($"parameters/shovel/{Escape(national)}/national-to-regional", new
        {
            value = new Dictionary<string, object>
            {
                ["src-protocol"] = "amqp091", ["src-uri"] = $"{uri}/{Escape(national)}", ["src-queue"] = OutboundQueue,
                ["dest-protocol"] = "amqp091", ["dest-uri"] = $"{uri}/{Escape(regional)}", ["dest-exchange"] = OutboundExchange,
                ["ack-mode"] = "on-confirm", ["reconnect-delay"] = 1,
            },
        });
        // Back: progress and fault events, each republished to the exchange it was published to.
        await Put($"parameters/shovel/{Escape(regional)}/regional-to-national", new
        {
            value = new Dictionary<string, object>
            {
                ["src-protocol"] = "amqp091", ["src-uri"] = $"{uri}/{Escape(regional)}", ["src-queue"] = ReturnQueue,
                ["dest-protocol"] = "amqp091", ["dest-uri"] = $"{uri}/{Escape(national)}",
                ["ack-mode"] = "on-confirm", ["reconnect-delay"] = 1,
            },
        });
    }

    /// <summary>The variables of ew_service_env, pointing at the containers.</summary>
    private void ExportEnvironment()
    {
        void Set(string name, string value) => Environment.SetEnvironmentVariable(name, value);
        Set("RabbitMq__Host", "127.0.0.1");
        Set("RabbitMq__Port", AmqpPort.ToString());
        Set("RabbitMq__VirtualHost", $"{VirtualHost}-regional");
        Set("EW_NATIONAL_VHOST", $"{VirtualHost}-national");
        foreach (var (service, side) in Sides)
        {
            var prefix = $"EW_{service.ToUpperInvariant()}__";
            Set(prefix + "RabbitMq__VirtualHost", $"{VirtualHost}-{side}");
            Set(prefix + "RabbitMq__Username", $"ew-{service}");
            Set(prefix + "RabbitMq__Password", Password($"rabbit-ew-{service}"));
            Set(prefix + "Database__ConnectionString", Url(Database, $"ew_{service}", Password($"ew_{service}")) + ";Maximum Pool Size=50");
        }
        Set("Database__ConnectionString", Url(Database, "postgres", _superuserPassword) + ";Maximum Pool Size=50");
        Set("EW_ADMIN__Database__ConnectionString", Url(Database, "ew_admin", Password("ew_admin")));
        Set("EW_ALERT_SUBSCRIBER_USER", "ew-alert-subscriber");
        Set("EW_ALERT_SUBSCRIBER_PASSWORD", Password("rabbit-ew-alert-subscriber"));
        Set("EW_ALERT_SUBSCRIBER_PER_USER", "ew-alert-subscriber-per");
        Set("EW_ALERT_SUBSCRIBER_PER_PASSWORD", Password("rabbit-ew-alert-subscriber-per"));
        Set("EW_PSEUDONYM_SECRET_CHL", Environment.GetEnvironmentVariable("EW_PSEUDONYM_SECRET_CHL") ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
    }

    private static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(18));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _rabbit.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
