using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace EarlyWarning.ServiceDefaults.Operations;

/// <summary>A message parked in an error or dead-letter queue, and why.</summary>
public sealed record FailedMessage(string Queue, string? MessageId, string? MessageType, string Reason, bool Redelivered, int Size);

/// <summary>A replay: how many messages went back to their queue, by parking queue.</summary>
public sealed record ReplayResult(IReadOnlyDictionary<string, int> Replayed);

/// <summary>
/// The messages parked in this service's "&lt;queue&gt;_error" (MassTransit: the fault in MT-Fault-* headers)
/// and "&lt;queue&gt;_dead" (the broker's delivery limit: x-death headers) queues, listed with their reasons
/// and replayed to their queue. A replay publishes the message to its queue with publisher confirms and only
/// then acknowledges the parked copy: a crash in between leaves two copies, which the consumer's inbox turns
/// into one effect. Listing takes each message and returns it (AMQP has no peek), so it counts as a delivery.
/// </summary>
public sealed class FailedMessages(ConsumerQueues queues, IOptions<RabbitMqOptions> options, ILogger<FailedMessages> logger)
{
    private const int MaximumPerQueue = 1000;

    public async Task<IReadOnlyList<FailedMessage>> ListAsync(CancellationToken ct)
    {
        await using var connection = await ConnectAsync(ct);
        var found = new List<FailedMessage>();
        foreach (var queue in ParkingQueues())
        {
            if (!await ExistsAsync(connection, queue, ct)) continue;
            // Unacknowledged until the channel closes, so each message is seen once and all go back.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            for (var i = 0; i < MaximumPerQueue && await channel.BasicGetAsync(queue, autoAck: false, ct) is { } message; i++)
                found.Add(Describe(queue, message));
        }
        return found;
    }

    /// <summary>Replays the parked messages (all, or the one with <paramref name="messageId"/>) to the queue they failed in.</summary>
    public async Task<ReplayResult> ReplayAsync(string? messageId, CancellationToken ct)
    {
        await using var connection = await ConnectAsync(ct);
        var replayed = new Dictionary<string, int>();
        foreach (var queue in ParkingQueues())
        {
            if (!await ExistsAsync(connection, queue, ct)) continue;
            var target = queue[..queue.LastIndexOf('_')];
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            var count = 0;
            for (var i = 0; i < MaximumPerQueue && await channel.BasicGetAsync(queue, autoAck: false, ct) is { } message; i++)
            {
                // Messages not asked for stay unacknowledged and go back when the channel closes.
                if (messageId is not null && message.BasicProperties.MessageId != messageId) continue;
                // Through the endpoint's own exchange (MassTransit binds it to the queue of the same name): the service's
                // broker user may write there, not to the default exchange, which reaches every queue of the vhost.
                await channel.BasicPublishAsync(target, "", mandatory: true, new BasicProperties(message.BasicProperties), message.Body, ct);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
                count++;
            }
            if (count == 0) continue;
            replayed[queue] = count;
            logger.LogInformation("Replayed {Count} message(s) from {Queue} to {Target}", count, queue, target);
        }
        return new ReplayResult(replayed);
    }

    private IEnumerable<string> ParkingQueues() => queues.All.SelectMany(q => new[] { q + "_error", q + "_dead" });

    private Task<IConnection> ConnectAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var factory = new ConnectionFactory
        {
            HostName = settings.Host, Port = settings.Port, VirtualHost = settings.VirtualHost,
            UserName = settings.Username, Password = settings.Password, ClientProvidedName = "earlywarning-operator",
        };
        return factory.CreateConnectionAsync(ct);
    }

    // A parking queue is declared when the first message fails there; until then there is nothing to list.
    private static async Task<bool> ExistsAsync(IConnection connection, string queue, CancellationToken ct)
    {
        await using var probe = await connection.CreateChannelAsync(cancellationToken: ct);
        try
        {
            await probe.QueueDeclarePassiveAsync(queue, ct);
            return true;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }

    private static FailedMessage Describe(string queue, BasicGetResult message)
    {
        var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
        var reason = Text(headers, "MT-Fault-Message") is { } fault
            ? $"{Text(headers, "MT-Fault-ExceptionType")}: {fault}"
            : DeathReason(headers) ?? "no reason recorded";
        return new FailedMessage(queue, message.BasicProperties.MessageId, Text(headers, "MT-Fault-MessageType") ?? message.BasicProperties.Type,
            reason, message.Redelivered, message.Body.Length);
    }

    private static string? DeathReason(IDictionary<string, object?> headers)
    {
        if (!headers.TryGetValue("x-death", out var value) || value is not IList<object> deaths || deaths.Count == 0) return null;
        if (deaths[0] is not IDictionary<string, object?> death) return null;
        return $"dead-lettered by the broker ({Text(death, "reason")}) from {Text(death, "queue")} after {(death.TryGetValue("count", out var c) ? c : "?")} death(s); " +
               "the consumer process kept dying or the delivery limit was reached";
    }

    private static string? Text(IDictionary<string, object?> headers, string key) =>
        headers.TryGetValue(key, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => value.ToString(),
        } : null;
}
