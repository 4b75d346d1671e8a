using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Classification;

internal sealed class ObservationsAnonymizedConsumerDefinition : ConsumerDefinition<ObservationsAnonymizedConsumer>
{
    private readonly int _deliveryLimit;

    public ObservationsAnonymizedConsumerDefinition(IOptions<RabbitMqOptions> rabbit)
    {
        _deliveryLimit = rabbit.Value.DeliveryLimit;
        EndpointName = "classification-observations-anonymized";
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ObservationsAnonymizedConsumer> consumer, IRegistrationContext context) =>
        endpoint.UseEarlyWarningEndpointPolicy(_deliveryLimit);
}
