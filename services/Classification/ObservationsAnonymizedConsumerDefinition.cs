using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Classification;

internal sealed class ObservationsAnonymizedConsumerDefinition(IOptions<RabbitMqOptions> rabbit)
    : EarlyWarningConsumerDefinition<ObservationsAnonymizedConsumer>(rabbit, "classification-observations-anonymized", concurrentMessageLimit: 8);
