using MassTransit;
using EarlyWarning.ServiceDefaults.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// A consumer's own queue, its concurrency, and the endpoint policy every EarlyWarning consumer shares
/// (quorum queue with delivery limit, retries, error and dead-letter queues: <see cref="QueueTopology"/>).
/// </summary>
public abstract class EarlyWarningConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly int _deliveryLimit;
    private readonly string _queue;

    protected EarlyWarningConsumerDefinition(IOptions<RabbitMqOptions> rabbit, string endpointName, int concurrentMessageLimit)
    {
        _deliveryLimit = rabbit.Value.DeliveryLimit;
        EndpointName = endpointName;
        _queue = endpointName;
        ConcurrentMessageLimit = concurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseEarlyWarningEndpointPolicy(_deliveryLimit, context.GetRequiredService<DatabaseAvailability>());
        // So that operators can list and replay what this endpoint parks (Operations.FailedMessages).
        context.GetRequiredService<ConsumerQueues>().Add(_queue);
    }
}
