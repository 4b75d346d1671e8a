using MassTransit;

namespace EarlyWarning.ServiceDefaults.Messaging;

public static class ConsumeContextExtensions
{
    /// <summary>The message id the inbox deduplicates on. A message without one cannot be processed exactly once, so it goes to the error queue.</summary>
    public static Guid RequireMessageId(this ConsumeContext context) =>
        context.MessageId ?? throw new InvalidBatchException("the message has no MessageId, so a redelivery could not be recognised");
}
