using EarlyWarning.Classification.Mapping;
using MassTransit;

namespace EarlyWarning.Classification;

internal static class ClassificationExtensions
{
    public static void AddClassificationConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ObservationsAnonymizedConsumer, ObservationsAnonymizedConsumerDefinition>();

    public static WebApplicationBuilder AddClassification(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MappingRepository>();
        return builder;
    }
}
