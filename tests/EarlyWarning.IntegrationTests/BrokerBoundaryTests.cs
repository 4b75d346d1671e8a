using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace EarlyWarning.IntegrationTests;

/// <summary>The broker's side of the trust boundary, tried with each service's own user on the real broker.</summary>
[Collection(SystemCollection.Name)]
public sealed class BrokerBoundaryTests(SystemFixture system)
{
    private static readonly string[] NationalQueues =
        ["anonymization-observations-submitted", "anonymization-observations-submitted_error", "anonymization-observations-submitted_dead", "regional-outbound-observations-anonymized"];

    [Theory]
    [InlineData("national", "regional-outbound-observations-anonymized")]
    [InlineData("national", "anonymization-observations-submitted_dead")]
    [InlineData("regional", "regional-return-progress")]
    [InlineData("regional", "classification-observations-anonymized_dead")]
    [InlineData("regional", "alerting-observations-harmonized_dead")]
    public async Task The_shovels_queues_and_the_dead_letter_queues_are_quorum_queues_that_survive_the_loss_of_a_node(string side, string queue)
    {
        _ = system; // the services are running, so every queue exists
        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1", Port = TestEnvironment.AmqpPort,
            VirtualHost = side == "national" ? TestEnvironment.NationalVirtualHost : TestEnvironment.VirtualHost,
        };
        await using var connection = await factory.CreateConnectionAsync();
        // Declaring an existing queue with other arguments is refused: so the declaration that goes through names its type.
        await using (var quorum = await connection.CreateChannelAsync())
            await quorum.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, passive: false);
        await using var classic = await connection.CreateChannelAsync();
        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => classic.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "classic" }));
        Assert.Equal((ushort?)406, refused.ShutdownReason?.ReplyCode);
    }

    [Theory]
    [InlineData("classification")]
    [InlineData("alerting")]
    public async Task A_regional_service_user_cannot_open_the_national_virtual_host_at_all(string service)
    {
        _ = system; // the services are running, so every national queue exists
        foreach (var queue in NationalQueues)
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var national = await ConnectAsync(service, TestEnvironment.NationalVirtualHost);
                await using var channel = await national.CreateChannelAsync();
                await channel.BasicGetAsync(queue, autoAck: false);
            });
            Assert.Contains("NOT_ALLOWED", refused.ToString());
        }

        await using var regional = await ConnectAsync(service, TestEnvironment.VirtualHost);
        Assert.True(regional.IsOpen);
    }

    [Theory]
    [InlineData("classification")]
    [InlineData("alerting")]
    public async Task A_regional_service_user_cannot_read_the_national_queues_through_the_regional_host_either(string service)
    {
        await using var connection = await ConnectAsync(service, TestEnvironment.VirtualHost);
        foreach (var queue in NationalQueues)
        {
            await using var channel = await connection.CreateChannelAsync();
            var error = await Assert.ThrowsAsync<OperationInterruptedException>(() => channel.BasicGetAsync(queue, autoAck: false));
            Assert.True(error.ShutdownReason?.ReplyCode is 403 or 404, $"{queue}: {error.Message}");
        }
    }

    [Fact]
    public async Task Ingestions_user_may_publish_submissions_but_not_read_anonymizations_queues()
    {
        await using var connection = await ConnectAsync("ingestion", TestEnvironment.NationalVirtualHost);
        foreach (var queue in NationalQueues)
        {
            await using var channel = await connection.CreateChannelAsync();
            var error = await Assert.ThrowsAsync<OperationInterruptedException>(() => channel.BasicGetAsync(queue, autoAck: false));
            Assert.Equal((ushort?)403, error.ShutdownReason?.ReplyCode);
        }
    }

    [Fact]
    public async Task The_broker_refuses_a_service_user_with_a_wrong_password()
    {
        var (user, _) = TestEnvironment.BrokerUser("ingestion");
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = TestEnvironment.AmqpPort, VirtualHost = TestEnvironment.NationalVirtualHost, UserName = user, Password = "guessed" };
        await Assert.ThrowsAsync<BrokerUnreachableException>(() => factory.CreateConnectionAsync());
    }

    private static Task<IConnection> ConnectAsync(string service, string virtualHost)
    {
        var (user, password) = TestEnvironment.BrokerUser(service);
        return new ConnectionFactory { HostName = "127.0.0.1", Port = TestEnvironment.AmqpPort, VirtualHost = virtualHost, UserName = user, Password = password }
            .CreateConnectionAsync();
    }
}
