using EarlyWarning.Anonymization.Agreements;
using EarlyWarning.Contracts;
using MassTransit;

namespace EarlyWarning.Anonymization;

internal static class AnonymizationExtensions
{
    public static void AddAnonymizationConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ObservationsSubmittedConsumer, ObservationsSubmittedConsumerDefinition>();

    /// <summary>
    /// Anonymization runs on the national virtual host; what it publishes for the region (and only that) is also
    /// kept in this durable queue, which the broker's shovel moves to the regional virtual host (deploy/local/infra.sh).
    /// Declared by the first publish, before any message could miss it.
    /// </summary>
    public const string RegionalOutboundQueue = "regional-outbound-observations-anonymized";

    public static void AddRegionalOutbound(this IRabbitMqBusFactoryConfigurator rabbit) =>
        rabbit.Publish<ObservationsAnonymized>(topology => topology.BindQueue(topology.Exchange.ExchangeName, RegionalOutboundQueue));

    public static WebApplicationBuilder AddAnonymization(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgreementOptions>().BindConfiguration(AgreementOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
