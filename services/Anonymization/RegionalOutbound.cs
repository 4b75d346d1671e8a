using EarlyWarning.ServiceDefaults;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace EarlyWarning.Anonymization;

/// <summary>
/// Anonymization runs on the national virtual host. What it publishes for the region (ObservationsAnonymized, and
/// nothing else) is also routed to this durable queue, which the broker's shovel moves to the regional virtual host
/// (deploy/local/infra.sh), acknowledging each message only once the regional side confirmed it.
/// </summary>
internal static class RegionalOutbound
{
    public const string Queue = "regional-outbound-observations-anonymized";
    /// <summary>The contract's exchange, named as MassTransit names it (namespace:type).</summary>
    public const string Exchange = "EarlyWarning.Contracts:ObservationsAnonymized";

    /// <summary>
    /// Declares the queue and its binding before the outbox can publish anything (hosted services start after this),
    /// so no anonymized batch is ever published to an exchange that does not route it across. Waits for the broker.
    /// </summary>
    public static async Task DeclareRegionalOutboundAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILogger<Program>>();
        var factory = new ConnectionFactory
        {
            HostName = options.Host, Port = options.Port, VirtualHost = options.VirtualHost,
            UserName = options.Username, Password = options.Password, ClientProvidedName = "anonymization (regional outbound)",
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync(app.Lifetime.ApplicationStopping);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: app.Lifetime.ApplicationStopping);
                // The same arguments as MassTransit's declaration of the exchange and the shovel's of the queue.
                await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
                await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
                await channel.QueueBindAsync(Queue, Exchange, routingKey: "");
                return;
            }
            catch (BrokerUnreachableException ex) when (attempt < 60)
            {
                logger.LogWarning("Broker not reachable yet to declare {Queue} ({Reason}); retrying", Queue, ex.GetBaseException().Message);
                await Task.Delay(TimeSpan.FromSeconds(1), app.Lifetime.ApplicationStopping);
            }
        }
    }
}
