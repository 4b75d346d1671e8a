using System.Collections.Concurrent;
using EarlyWarning.Contracts;
using MassTransit;
using Npgsql;
using RabbitMQ.Client;

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

    internal ServiceProcess Ingestion { get; } = new("Ingestion", TestEnvironment.ServicePortBase + 0,
        new Dictionary<string, string> { ["Ingestion__Limits__MaximumBodyBytes"] = IngestionBodyLimit.ToString() });
    internal ServiceProcess Anonymization { get; } = new("Anonymization", TestEnvironment.ServicePortBase + 1);
    internal ServiceProcess Classification { get; } = new("Classification", TestEnvironment.ServicePortBase + 2);
    internal ServiceProcess Alerting { get; } = new("Alerting", TestEnvironment.ServicePortBase + 3);
    private IEnumerable<ServiceProcess> Services => [Ingestion, Anonymization, Classification, Alerting];

    public HttpClient IngestionApi { get; private set; } = null!;
    public NpgsqlDataSource Database { get; private set; } = null!;
    public ConcurrentBag<SurgeDetected> SurgesHeard { get; } = [];

    public async Task InitializeAsync()
    {
        Database = NpgsqlDataSource.Create(TestEnvironment.DatabaseConnectionString);
        // Sequentially: each service applies its migrations at start-up.
        foreach (var service in Services) await service.StartAsync();
        IngestionApi = new HttpClient { BaseAddress = Ingestion.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };

        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host("127.0.0.1", (ushort)TestEnvironment.AmqpPort, TestEnvironment.VirtualHost, h => { h.Username("guest"); h.Password("guest"); });
            cfg.ReceiveEndpoint("integration-tests-surge-detected", e =>
                e.Handler<SurgeDetected>(context => { SurgesHeard.Add(context.Message); return Task.CompletedTask; }));
        });
        await _bus.StartAsync();
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

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Database.CreateCommand(sql);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
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
        foreach (var service in Services.Reverse()) await service.DisposeAsync();
        IngestionApi?.Dispose();
        if (Database is not null) await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>
{
    public const string Name = "system";
}
