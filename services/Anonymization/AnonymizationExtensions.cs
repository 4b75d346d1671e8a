using EarlyWarning.Anonymization.Agreements;
using MassTransit;

namespace EarlyWarning.Anonymization;

internal static class AnonymizationExtensions
{
    public static void AddAnonymizationConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ObservationsSubmittedConsumer, ObservationsSubmittedConsumerDefinition>();

    public static WebApplicationBuilder AddAnonymization(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgreementOptions>().BindConfiguration(AgreementOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
