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
        // Batches touching the same series wait for each other on advisory locks (SeriesStore.LockAsync).
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ObservationsHarmonizedConsumer> consumer, IRegistrationContext context) =>
        endpoint.UseEarlyWarningEndpointPolicy(_deliveryLimit);
}
