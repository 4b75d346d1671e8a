using EarlyWarning.Alerting.Detection;
using EarlyWarning.Detection.Surveillance;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EarlyWarning.Alerting;

internal static class AlertingExtensions
{
    public static void AddAlertingConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ObservationsHarmonizedConsumer, ObservationsHarmonizedConsumerDefinition>();

    public static WebApplicationBuilder AddAlerting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DetectionPolicy>().BindConfiguration(DetectionPolicy.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DetectionPolicy>, DetectionPolicyValidation>();
        builder.Services.AddSingleton(sp => new SeriesJudges(sp.GetRequiredService<IOptions<DetectionPolicy>>().Value));
        return builder;
    }

    /// <summary>Brings the kept weekly totals in line with the watched levels (Detection:Levels) before the bus starts consuming.</summary>
    public static async Task BuildSeriesLevelsAsync(this WebApplication app)
    {
        var judges = app.Services.GetRequiredService<SeriesJudges>();
        var db = app.Services.GetRequiredService<NpgsqlDataSource>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EarlyWarning.Alerting.SeriesLevels");
        await SeriesStore.BuildLevelsAsync(db, judges.Levels, logger, app.Lifetime.ApplicationStopping);
    }

    /// <summary>An invalid policy stops the service at start with every problem, each naming its setting.</summary>
    private sealed class DetectionPolicyValidation : IValidateOptions<DetectionPolicy>
    {
        public ValidateOptionsResult Validate(string? name, DetectionPolicy options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
