using EarlyWarning.Classification.Policy;
using MassTransit;

namespace EarlyWarning.Classification;

internal static class ClassificationExtensions
{
    public static void AddClassificationConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ObservationsAnonymizedConsumer, ObservationsAnonymizedConsumerDefinition>();

    public static WebApplicationBuilder AddClassification(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClassificationOptions>().BindConfiguration(ClassificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PolicyProvider>();
        builder.Services.AddSingleton<HeldCellReplay>();
        builder.Services.AddSingleton<Review.Decisions.SuggestionCache>();
        builder.Services.AddSingleton<Review.Decisions.PolicyDecisions>();
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>Loads and validates the policy files before the service takes any batch: an invalid file stops it, naming file and field.</summary>
    public static bool LoadPolicy(this WebApplication app)
    {
        try
        {
            app.Services.GetRequiredService<PolicyProvider>().Reload();
            return true;
        }
        catch (PolicyException e)
        {
            app.Logger.LogCritical("Invalid policy, the service stops: {Problem}", e.Message);
            Console.Error.WriteLine($"Invalid policy: {e.Message}");
            return false;
        }
    }

    /// <summary>Records the policy loaded at start-up (after the migrations have created its table).</summary>
    public static Task RecordPolicyAsync(this WebApplication app) =>
        PolicyProvider.RecordAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            app.Services.GetRequiredService<PolicyProvider>().Current, app.Lifetime.ApplicationStopping);

    /// <summary>`replay [COUNTRY]`: replays the held cells with the policy files as they are now, then exits.</summary>
    public static async Task<int> RunReplayCommandAsync(this WebApplication app, string? country)
    {
        var result = await app.Services.GetRequiredService<HeldCellReplay>().ReplayAsync(country?.ToUpperInvariant(), app.Lifetime.ApplicationStopping);
        Console.WriteLine($"policy {result.PolicyDigest}: {result.Replayed} held cells replayed in {result.Messages} messages, {result.StillHeld} still held");
        return 0;
    }
}
