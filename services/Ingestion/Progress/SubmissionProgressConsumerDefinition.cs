using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Ingestion.Progress;

internal sealed class SubmissionProgressConsumerDefinition(IOptions<RabbitMqOptions> rabbit)
    : EarlyWarningConsumerDefinition<SubmissionProgressConsumer>(rabbit, "ingestion-submission-progress", concurrentMessageLimit: 8);
