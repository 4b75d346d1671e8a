using EarlyWarning.Anonymization.Agreements;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Anonymization;

internal static class AnonymizationExtensions
{
    public static void AddAnonymizationConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ObservationsSubmittedConsumer, ObservationsSubmittedConsumerDefinition>();

    public static WebApplicationBuilder AddAnonymization(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AnonymizationOptions>().BindConfiguration(AnonymizationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<AgreementsOptions>().BindConfiguration(AgreementsOptions.Section);
        // Loaded when the service starts (see UseAgreementsAsync), never lazily on the first message.
        builder.Services.AddSingleton(sp => AgreementCatalog.Load(sp.GetRequiredService<IOptions<AgreementsOptions>>().Value.Directory, Environment.GetEnvironmentVariable));
        builder.Services.AddSingleton<SubmissionStore>();
        return builder;
    }

    /// <summary>
    /// Loads and validates every agreement and records its version before any message is taken: an invalid
    /// agreement, or one changed without a new version, stops the service with the file and the field.
    /// </summary>
    public static async Task<bool> UseAgreementsAsync(this WebApplication app)
    {
        try
        {
            var catalog = app.Services.GetRequiredService<AgreementCatalog>();
            await app.Services.GetRequiredService<SubmissionStore>().RecordAgreementsAsync(catalog, app.Lifetime.ApplicationStopping);
            app.Logger.LogInformation("Agreements in force: {Agreements}", string.Join(", ", catalog.All.Select(a => $"{a.Id} v{a.Version}")));
            return true;
        }
        catch (InvalidAgreementException e)
        {
            app.Logger.LogCritical("Invalid agreement, the service stops: {Reason}", e.Message);
            Console.Error.WriteLine($"Invalid agreement, the service stops: {e.Message}");
            return false;
        }
    }
}
