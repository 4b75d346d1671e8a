using EarlyWarning.Detection.Surveillance;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Alerting;

internal static class AlertingExtensions
{
    public static void AddAlertingConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ObservationsHarmonizedConsumer, ObservationsHarmonizedConsumerDefinition>();

    public static WebApplicationBuilder AddAlerting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DetectionPolicy>().BindConfiguration(DetectionPolicy.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DetectionPolicy>, DetectionPolicyValidation>();
        builder.Services.AddSingleton(sp => new SeriesJudge(sp.GetRequiredService<IOptions<DetectionPolicy>>().Value));
        return builder;
    }

    /// <summary>An invalid policy stops the service at start with every problem, each naming its setting.</summary>
    private sealed class DetectionPolicyValidation : IValidateOptions<DetectionPolicy>
    {
        public ValidateOptionsResult Validate(string? name, DetectionPolicy options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
