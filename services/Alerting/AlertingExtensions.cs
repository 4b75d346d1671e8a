using EarlyWarning.Alerting.Detection;
using MassTransit;

namespace EarlyWarning.Alerting;

internal static class AlertingExtensions
{
    public static void AddAlertingConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ObservationsHarmonizedConsumer, ObservationsHarmonizedConsumerDefinition>();

    public static WebApplicationBuilder AddAlerting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DetectionOptions>().BindConfiguration(DetectionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
