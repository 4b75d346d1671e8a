using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// Durable queues that collect what the services publish for the other side of the national/regional boundary;
/// the broker's shovels move them across (deploy/local/infra.sh, deploy/docker/rabbitmq-setup.sh),
/// acknowledging each message only once the other side confirmed it.
/// </summary>
public static class BrokerRoutes
{
    /// <summary>Anonymized batches (and nothing else), from the national side to the regional one.</summary>
    public const string RegionalOutbound = "regional-outbound-observations-anonymized";

    /// <summary>Progress and fault events of the regional stages, back to Ingestion on the national side (counts only, no observation leaves the region this way that did not come from it).</summary>
    public const string NationalReturn = "regional-return-progress";

    /// <summary>Exchanges of the contracts and faults, named as MassTransit names them (namespace:type).</summary>
    public static readonly string[] ProgressExchanges =
    [
        "EarlyWarning.Contracts:SubmissionProgressed",
        "MassTransit:Fault--EarlyWarning.Contracts:ObservationsAnonymized--",
        "MassTransit:Fault--EarlyWarning.Contracts:ObservationsHarmonized--",
    ];

    /// <summary>Declares the return route of the regional stages' progress (Classification and Alerting both do; it is idempotent).</summary>
    public static Task DeclareNationalReturnAsync(this WebApplication app) => app.DeclareRouteAsync(NationalReturn, ProgressExchanges);

    /// <summary>
    /// Declares <paramref name="queue"/> bound to <paramref name="exchanges"/> before the outbox can publish
    /// anything (hosted services start after this), so nothing is published to an exchange that does not route it
    /// across. Waits for the broker.
    /// </summary>
    public static async Task DeclareRouteAsync(this WebApplication app, string queue, params string[] exchanges)
    {
        var options = app.Services.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BrokerRoutes));
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var factory = new ConnectionFactory
        {
            HostName = options.Host, Port = options.Port, VirtualHost = options.VirtualHost,
            UserName = options.Username, Password = options.Password, ClientProvidedName = $"{queue} (route)",
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // With a cluster, any of its nodes will do.
                var nodes = options.ClusterNodes.Select(n => new AmqpTcpEndpoint(n[..n.LastIndexOf(':')], int.Parse(n[(n.LastIndexOf(':') + 1)..]))).ToList();
                await using var connection = nodes.Count > 0
                    ? await factory.CreateConnectionAsync(nodes, stopping)
                    : await factory.CreateConnectionAsync(stopping);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: stopping);
                // The same arguments as MassTransit's declaration of the exchanges and infra.sh's of the queue: a quorum
                // queue, so that it lives on every node of a cluster (a classic queue whose node is down takes, confirms
                // and drops what is published to it).
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                    arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: stopping);
                foreach (var exchange in exchanges)
                {
                    await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: stopping);
                    await channel.QueueBindAsync(queue, exchange, routingKey: "", cancellationToken: stopping);
                }
                return;
            }
            catch (BrokerUnreachableException ex) when (attempt < 60)
            {
                logger.LogWarning("Broker not reachable yet to declare {Queue} ({Reason}); retrying", queue, ex.GetBaseException().Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stopping);
            }
        }
    }
}
