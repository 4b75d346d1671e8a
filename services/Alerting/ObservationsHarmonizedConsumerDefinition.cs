using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Alerting;

internal sealed class ObservationsHarmonizedConsumerDefinition : ConsumerDefinition<ObservationsHarmonizedConsumer>
{
    private readonly int _deliveryLimit;

    public ObservationsHarmonizedConsumerDefinition(IOptions<RabbitMqOptions> rabbit)
    {
        _deliveryLimit = rabbit.Value.DeliveryLimit;
        EndpointName = "alerting-observations-harmonized";
        // One batch at a time: two batches of the same series evaluated in parallel would each miss the
        // other's weeks (neither sees the other's uncommitted rows), and a surge could go unnoticed.
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ObservationsHarmonizedConsumer> consumer, IRegistrationContext context) =>
        endpoint.UseEarlyWarningEndpointPolicy(_deliveryLimit);
}
