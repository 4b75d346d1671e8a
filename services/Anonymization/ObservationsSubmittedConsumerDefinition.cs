using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Anonymization;

internal sealed class ObservationsSubmittedConsumerDefinition(IOptions<RabbitMqOptions> rabbit)
    : EarlyWarningConsumerDefinition<ObservationsSubmittedConsumer>(rabbit, "anonymization-observations-submitted", concurrentMessageLimit: 8);
