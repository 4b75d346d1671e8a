using MassTransit;

namespace EarlyWarning.ServiceDefaults.Messaging;

public static class QueueTopology
{
    /// <summary>
    /// The receive-endpoint policy every consumer shares:
    /// a quorum queue with an explicit delivery limit (RabbitMQ 3.10 has no default), dead-lettering to the
    /// endpoint's error queue, so a message that keeps crashing its consumer ends there and is not dropped;
    /// and in-process retries with backoff for transient faults, skipped for a batch that breaks its contract,
    /// which MassTransit then moves to the same error queue with the exception in its headers.
    /// </summary>
    public static void UseEarlyWarningEndpointPolicy(this IReceiveEndpointConfigurator endpoint, int deliveryLimit)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
            rabbit.SetQueueArgument("x-delivery-limit", deliveryLimit);
            var errorQueue = $"{rabbit.InputAddress.AbsolutePath.TrimStart('/').Split('/').Last()}_error";
            rabbit.BindDeadLetterQueue(errorQueue, errorQueue);
        }
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<InvalidBatchException>();
            retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
        });
    }
}
