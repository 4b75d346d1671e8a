using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EarlyWarning.Contracts;
using MassTransit;
using Npgsql;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// The whole system, for real: the four services as separate processes on the broker and database that
/// deploy/local/test.sh started, plus a bus of the tests' own to send batches directly and hear alerts.
/// </summary>
public sealed class SystemFixture : IAsyncLifetime
{
    private IBusControl? _bus;

    /// <summary>Bodies above this are refused (413); small, so the tests can cross it cheaply.</summary>
    public const long IngestionBodyLimit = 4 * 1024 * 1024;

    /// <summary>Anonymization's rate limits (RateLimiting__…): requests at once without a valid credential per address, and per credential.</summary>
    public const int AnonymizationAddressBurst = 5, AnonymizationCallerBurst = 20;

    internal ServiceProcess Ingestion { get; } = new("Ingestion", TestEnvironment.ServicePortBase + 0);
    /// <summary>A copy of policy/agreements that Anonymization reads, so that a test can change an agreement.</summary>
    internal string AgreementsDirectory { get; } = CopyAgreements();
    internal ServiceProcess Anonymization { get; } = new("Anonymization", TestEnvironment.ServicePortBase + 1);
    internal ServiceProcess Classification { get; } = new("Classification", TestEnvironment.ServicePortBase + 2);
    internal ServiceProcess Alerting { get; } = new("Alerting", TestEnvironment.ServicePortBase + 3);
    /// <summary>The one internal webhook destination the Alerting service under test allows (Delivery:Webhooks:AllowedHosts).</summary>
    public const string AllowedWebhookHost = "127.0.0.1";
    private IEnumerable<ServiceProcess> Services => [Ingestion, Anonymization, Classification, Alerting];

    /// <summary>The ingestion API as a publisher of CHL (the country of the synthetic submissions).</summary>
    public HttpClient IngestionApi { get; private set; } = null!;
    /// <summary>Classification's API as an operator (review, replay, policy; also every country's export).</summary>
    public HttpClient ClassificationApi { get; private set; } = null!;
    private readonly ConcurrentDictionary<string, Task<HttpClient>> _publishers = new();
    public const string JwtIssuer = "https://idp.test.invalid/";
    public const string JwtAudience = "earlywarning";
    /// <summary>The signing key of a national identity provider the services are told to trust (its public half, as a PEM file).</summary>
    public RSA JwtSigningKey { get; } = RSA.Create(2048);
    private readonly string _jwtPublicKeyFile = Path.Combine(Path.GetTempPath(), $"earlywarning-test-idp-{Guid.NewGuid():N}.pem");
    public NpgsqlDataSource Database { get; private set; } = null!;
    public ConcurrentBag<SurgeDetected> SurgesHeard { get; } = [];
    /// <summary>Every message published on the regional virtual host (RabbitMQ's firehose, which test.sh turns on there): exchange, headers and body as text.</summary>
    public ConcurrentQueue<string> RegionalMessages { get; } = [];
    private IConnection? _firehose;

    private readonly IMessageSink _diagnostics;

    public SystemFixture(IMessageSink diagnostics)
    {
        _diagnostics = diagnostics;
        Anonymization.Environment["Agreements__Directory"] = AgreementsDirectory;
    }

    private static string CopyAgreements()
    {
        var copy = Directory.CreateTempSubdirectory("earlywarning-agreements-").FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(TestEnvironment.RepositoryRoot, "policy", "agreements"), "*.yaml"))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    public async Task InitializeAsync()
    {
        // Containers when a Docker engine answers, else the local servers of deploy/local/test.sh; said in the log.
        await LocalServers.EnsureAsync(_diagnostics);
        Database = NpgsqlDataSource.Create(TestEnvironment.DatabaseConnectionString);
        TestPolicy.Prepare();
        Classification.Environment["Classification__PolicyDirectory"] = TestPolicy.Directory;
        // Alert delivery reads the same places (the tests' border points have coordinates) and retries webhooks
        // quickly, so that five failures, or a receiver that never answers, play out within a test.
        Alerting.Environment["Delivery__PolicyDirectory"] = TestPolicy.Directory;
        Alerting.Environment["Delivery__Webhooks__FirstRetryDelay"] = "00:00:00.200";
        Alerting.Environment["Delivery__Webhooks__MaxRetryDelay"] = "00:00:01";
        Alerting.Environment["Delivery__Webhooks__Timeout"] = "00:00:02";
        Alerting.Environment["Delivery__Webhooks__MaxAttempts"] = "8";
        // The tests' webhook receivers listen on 127.0.0.1 (WebhookReceiver): that address alone, as an operator would
        // allow a receiver of theirs; every other internal destination stays refused (WebhookDestinationTests).
        Alerting.Environment["Delivery__Webhooks__AllowedHosts__0"] = AllowedWebhookHost;
        Alerting.Environment["Delivery__Webhooks__SecretKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(_jwtPublicKeyFile, JwtSigningKey.ExportSubjectPublicKeyInfoPem());
        foreach (var service in Services)
        {
            service.Environment["Authentication__Jwt__Issuer"] = JwtIssuer;
            service.Environment["Authentication__Jwt__Audience"] = JwtAudience;
            service.Environment["Authentication__Jwt__SigningKeyFile"] = _jwtPublicKeyFile;
        }
        // Anonymization takes few requests in the tests (audits, polled five times a second at most), so its limits are
        // small enough for CallerIdentityTests to cross cheaply; the other services keep the defaults.
        Anonymization.Environment["RateLimiting__PerAddress__Burst"] = AnonymizationAddressBurst.ToString();
        Anonymization.Environment["RateLimiting__PerAddress__RequestsPerSecond"] = "1";
        Anonymization.Environment["RateLimiting__PerCaller__Burst"] = AnonymizationCallerBurst.ToString();
        Anonymization.Environment["RateLimiting__PerCaller__RequestsPerSecond"] = "10";
        Ingestion.Environment["Ingestion__Limits__MaximumBodyBytes"] = IngestionBodyLimit.ToString();
        // Long synthetic streams of weekly rows (1,600 weeks at one border point) need periods from long ago (OutageTests: 1955 to 1985, years no other test uses).
        Ingestion.Environment["Ingestion__Limits__EarliestPeriod"] = "1950-01-01";
        // Sequentially: each service applies its migrations at start-up.
        foreach (var service in Services) await service.StartAsync();
        IngestionApi = Client(Ingestion, await IssueKeyAsync("publisher", "--country", "CHL"));
        ClassificationApi = Client(Classification, await IssueKeyAsync("operator"));
        await TapRegionalFirehoseAsync();

        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host("127.0.0.1", (ushort)TestEnvironment.AmqpPort, TestEnvironment.VirtualHost, h => { h.Username("guest"); h.Password("guest"); });
            cfg.ReceiveEndpoint("integration-tests-surge-detected", e =>
                e.Handler<SurgeDetected>(context => { SurgesHeard.Add(context.Message); return Task.CompletedTask; }));
        });
        await _bus.StartAsync();
    }

    /// <summary>The ingestion API as a publisher of <paramref name="country"/>.</summary>
    public Task<HttpClient> PublisherApiAsync(string country) =>
        _publishers.GetOrAdd(country, async c => Client(Ingestion, await IssueKeyAsync("publisher", "--country", c)));

    /// <summary>An HTTP client of a service that sends <paramref name="apiKey"/> (none when null).</summary>
    internal HttpClient Client(ServiceProcess service, string? apiKey)
    {
        var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Runs earlywarning-admin (as the administrator's database role) and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output, string Error)> AdminAsync(params string[] args)
    {
        var dll = Path.Combine(TestEnvironment.RepositoryRoot, "tools", "EarlyWarning.Admin", "bin", TestEnvironment.Configuration, "net10.0", "earlywarning-admin.dll");
        var info = new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Environment.GetEnvironmentVariable("EW_ADMIN__Database__ConnectionString") is { } admin) info.Environment["Database__ConnectionString"] = admin;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Issues a key with earlywarning-admin (e.g. "publisher", "--country", "CHL") and returns it.</summary>
    public async Task<string> IssueKeyAsync(string role, params string[] scope)
    {
        var (exit, output, error) = await AdminAsync(["keys", "issue", "--name", $"integration test {role} {string.Join(' ', scope)}", "--role", role, .. scope]);
        if (exit != 0) throw new InvalidOperationException($"earlywarning-admin exited with {exit}: {error}");
        return output.Trim();
    }

    /// <summary>
    /// A JWT signed by the trusted test identity provider, with these claims besides iss, aud, sub (unless
    /// <paramref name="subject"/> is false), iat and exp. <paramref name="alg"/> RS256 or RS384 sign with the provider's key
    /// (or <paramref name="signer"/>); HS256 uses its public key as the HMAC secret (the algorithm confusion attack); "none" signs nothing.
    /// </summary>
    public string Jwt(IReadOnlyDictionary<string, object> claims, RSA? signer = null, TimeSpan? lifetime = null,
        string alg = "RS256", string? typ = "JWT", bool subject = true)
    {
        static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow;
        var payload = new Dictionary<string, object>
        {
            ["iss"] = JwtIssuer, ["aud"] = JwtAudience, ["sub"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["iat"] = now.AddMinutes(-10).ToUnixTimeSeconds(), ["nbf"] = now.AddMinutes(-10).ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime ?? TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
        };
        if (!subject) payload.Remove("sub");
        foreach (var (name, value) in claims) payload[name] = value;
        var header = new Dictionary<string, object> { ["alg"] = alg };
        if (typ is not null) header["typ"] = typ;
        var unsigned = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var data = Encoding.ASCII.GetBytes(unsigned);
        var signature = alg switch
        {
            "none" => [],
            "HS256" => HMACSHA256.HashData(Encoding.ASCII.GetBytes(JwtSigningKey.ExportSubjectPublicKeyInfoPem()), data),
            "RS384" => (signer ?? JwtSigningKey).SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            _ => (signer ?? JwtSigningKey).SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        };
        return unsigned + "." + Base64Url(signature);
    }

    private async Task TapRegionalFirehoseAsync()
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = TestEnvironment.AmqpPort, VirtualHost = TestEnvironment.VirtualHost };
        _firehose = await factory.CreateConnectionAsync();
        var channel = await _firehose.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, "amq.rabbitmq.trace", "publish.#");
        var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            static string Text(object? value) => value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                IDictionary<string, object?> table => string.Join(";", table.Select(e => e.Key + "=" + Text(e.Value))),
                IEnumerable<object?> list => string.Join(",", list.Select(Text)),
                _ => value?.ToString() ?? "",
            };
            RegionalMessages.Enqueue($"{delivery.RoutingKey} {Text(delivery.BasicProperties.Headers)} {Encoding.UTF8.GetString(delivery.Body.Span)}");
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
    }

    /// <summary>Sends a batch straight to a service's endpoint exchange, with the message id of our choosing.</summary>
    public async Task SendAsync<T>(string endpoint, T message, Guid messageId) where T : class
    {
        var target = await _bus!.GetSendEndpoint(new Uri($"exchange:{endpoint}"));
        await target.Send(message, context => context.MessageId = messageId);
    }

    /// <summary>Takes the messages in an error queue (as an operator's replay tool would) and returns their headers and bodies.</summary>
    public async Task<List<(IDictionary<string, object?> Headers, string Body)>> DrainQueueAsync(string queue)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = TestEnvironment.AmqpPort, VirtualHost = TestEnvironment.VirtualHost };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var messages = new List<(IDictionary<string, object?>, string)>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
            messages.Add((result.BasicProperties.Headers ?? new Dictionary<string, object?>(), System.Text.Encoding.UTF8.GetString(result.Body.Span)));
        return messages;
    }

    /// <summary>Messages waiting in a queue (0 when it does not exist yet: MassTransit declares error queues at the first fault).</summary>
    public async Task<uint> QueueDepthAsync(string queue)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = TestEnvironment.AmqpPort, VirtualHost = TestEnvironment.VirtualHost };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    /// <summary>Like <see cref="DrainQueueAsync"/>, but a queue that was never declared (nothing ever failed there) is simply empty.</summary>
    public async Task<List<(IDictionary<string, object?> Headers, string Body)>> DrainQueueIfAnyAsync(string queue)
    {
        try
        {
            return await DrainQueueAsync(queue);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return [];
        }
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Database.CreateCommand(sql);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public async Task<object?> ScalarObjectAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Database.CreateCommand(sql);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>Polls until the query returns at least <paramref name="expected"/>, or fails after the timeout.</summary>
    public async Task<long> WaitForCountAsync(string sql, long expected, TimeSpan timeout, params (string Name, object Value)[] parameters)
    {
        var deadline = DateTime.UtcNow + timeout;
        long count;
        while ((count = await ScalarAsync(sql, parameters)) < expected)
        {
            if (DateTime.UtcNow > deadline) return count;
            await Task.Delay(200);
        }
        return count;
    }

    public async Task DisposeAsync()
    {
        if (_bus is not null) await _bus.StopAsync();
        if (_firehose is not null) await _firehose.DisposeAsync();
        foreach (var service in Services.Reverse()) await service.DisposeAsync();
        IngestionApi?.Dispose();
        ClassificationApi?.Dispose();
        foreach (var publisher in _publishers.Values) if (publisher.IsCompletedSuccessfully) publisher.Result.Dispose();
        if (Database is not null) await Database.DisposeAsync();
        File.Delete(_jwtPublicKeyFile);
        JwtSigningKey.Dispose();
        Directory.Delete(AgreementsDirectory, recursive: true);
        await LocalServers.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>
{
    public const string Name = "system";
}
