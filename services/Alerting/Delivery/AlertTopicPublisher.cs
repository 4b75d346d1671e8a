using System.Text;
using EarlyWarning.ServiceDefaults;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// Publishes alert revisions, as CAP documents, to the topic exchange of the regional virtual host that bus
/// subscribers bind to ("&lt;country&gt;.&lt;place&gt;.&lt;category&gt;.&lt;severity&gt;", see <see cref="AlertRoutingKey"/>). Its own
/// AMQP connection (the service's broker user), with publisher confirms: a revision counts as published only
/// once the broker confirmed it. The message id is the CAP identifier, the same on a republication.
/// </summary>
internal sealed class AlertTopicPublisher(IOptions<RabbitMqOptions> rabbit, IOptions<DeliveryOptions> options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    public string Exchange => options.Value.Topic.Exchange;

    /// <summary>Declares the exchange (at start-up, so that subscribers can bind to it before the first alert).</summary>
    public async Task DeclareAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            await ChannelAsync(ct);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task PublishAsync(AlertRevision revision, string routingKey, string capXml, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            var channel = await ChannelAsync(ct);
            var properties = new BasicProperties
            {
                MessageId = revision.Identifier,
                ContentType = CapDocument.MediaType,
                ContentEncoding = "utf-8",
                DeliveryMode = DeliveryModes.Persistent,
                Type = "cap:" + revision.MsgType,
                Timestamp = new AmqpTimestamp(revision.SentAt.ToUnixTimeSeconds()),
                Headers = new Dictionary<string, object?>
                {
                    ["alert-id"] = revision.AlertId.ToString("D"),
                    ["revision"] = revision.Revision,
                    ["msg-type"] = revision.MsgType,
                    ["state"] = revision.State,
                },
            };
            try
            {
                await channel.BasicPublishAsync(Exchange, routingKey, mandatory: false, properties, Encoding.UTF8.GetBytes(capXml), ct);
            }
            catch
            {
                // A channel that failed (broker gone, nack) is not reused: the next publication opens a new one.
                await ResetAsync();
                throw;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        if (_channel is { IsOpen: true }) return _channel;
        await ResetAsync();
        var o = rabbit.Value;
        var factory = new ConnectionFactory
        {
            HostName = o.Host, Port = o.Port, VirtualHost = o.VirtualHost, UserName = o.Username, Password = o.Password,
            ClientProvidedName = "alerting-topic-publisher",
        };
        _connection = o.ClusterNodes.Length > 0
            ? await factory.CreateConnectionAsync(o.ClusterNodes.Select(n => new AmqpTcpEndpoint(n[..n.LastIndexOf(':')], int.Parse(n[(n.LastIndexOf(':') + 1)..]))).ToList(), ct)
            : await factory.CreateConnectionAsync(ct);
        _channel = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        await _channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: ct);
        return _channel;
    }

    private async Task ResetAsync()
    {
        try
        {
            if (_channel is not null) await _channel.DisposeAsync();
            if (_connection is not null) await _connection.DisposeAsync();
        }
        catch (Exception)
        {
            // Already broken: nothing to close cleanly.
        }
        _channel = null;
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        await ResetAsync();
        _lock.Dispose();
    }
}
