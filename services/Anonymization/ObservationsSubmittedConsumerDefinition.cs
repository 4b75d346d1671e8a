using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Anonymization;

internal sealed class ObservationsSubmittedConsumerDefinition : ConsumerDefinition<ObservationsSubmittedConsumer>
{
    private readonly int _deliveryLimit;

    public ObservationsSubmittedConsumerDefinition(IOptions<RabbitMqOptions> rabbit)
    {
        _deliveryLimit = rabbit.Value.DeliveryLimit;
        EndpointName = "anonymization-observations-submitted";
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ObservationsSubmittedConsumer> consumer, IRegistrationContext context) =>
        endpoint.UseEarlyWarningEndpointPolicy(_deliveryLimit);
}
