using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Alerting;

// Batches touching the same series wait for each other on advisory locks (SeriesStore.LockAsync), so
// several batches can be evaluated at once without one missing the weeks of another.
internal sealed class ObservationsHarmonizedConsumerDefinition(IOptions<RabbitMqOptions> rabbit)
    : EarlyWarningConsumerDefinition<ObservationsHarmonizedConsumer>(rabbit, "alerting-observations-harmonized", concurrentMessageLimit: 4);
