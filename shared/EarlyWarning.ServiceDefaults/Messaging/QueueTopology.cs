using MassTransit;

namespace EarlyWarning.ServiceDefaults.Messaging;

public static class QueueTopology
{
    /// <summary>
    /// The receive-endpoint policy every consumer shares:
    /// in-process retries with backoff for transient faults, skipped for a batch that breaks its contract;
    /// a message that still fails is moved by MassTransit to "&lt;queue&gt;_error" with the exception in its headers.
    /// The queue is a quorum queue with an explicit delivery limit (RabbitMQ 3.10 has no default): a message
    /// that keeps killing its consumer process (so no exception is ever caught) is dead-lettered by the broker
    /// to "&lt;queue&gt;_dead" with x-death headers. Both are kept for operators to inspect and replay.
    /// (The dead-letter queue cannot be the error queue: MassTransit declares the error queue with the
    /// endpoint queue's own arguments, and RabbitMQ refuses a second declaration with different ones.)
    /// </summary>
    /// <para>
    /// An outage of PostgreSQL is not the message's fault, so it never counts against it: the outer retry
    /// handles only outages, without limit in practice, and each attempt first waits at the database gate
    /// (<see cref="DatabaseGateFilter"/>) until PostgreSQL answers again; the inner retries never see them.
    /// </para>
    public static void UseEarlyWarningEndpointPolicy(this IReceiveEndpointConfigurator endpoint, int deliveryLimit, DatabaseAvailability database)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
            rabbit.SetQueueArgument("x-delivery-limit", deliveryLimit);
            var deadLetters = $"{rabbit.InputAddress.AbsolutePath.TrimStart('/').Split('/').Last()}_dead";
            // Quorum too: a classic dead-letter queue whose node is down would drop what the broker dead-letters.
            rabbit.BindDeadLetterQueue(deadLetters, deadLetters, queue => queue.SetQuorumQueue());
        }
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(Outage.IsDatabaseOutage);
            retry.Interval(100_000, TimeSpan.FromSeconds(1));
        });
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<InvalidBatchException>();
            retry.Ignore<Exception>(Outage.IsDatabaseOutage);
            retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
        });
        endpoint.UseFilter(new DatabaseGateFilter(database));
    }
}
