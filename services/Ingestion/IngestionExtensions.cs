using EarlyWarning.Ingestion.Agreements;
using EarlyWarning.Ingestion.Progress;
using MassTransit;
using EarlyWarning.Ingestion.Submissions;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Ingestion;

internal static class IngestionExtensions
{
    public static void AddIngestionConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<SubmissionProgressConsumer, SubmissionProgressConsumerDefinition>();

    public static WebApplicationBuilder AddIngestion(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<IngestionOptions>, IngestionOptionsValidator>();
        builder.Services.AddSingleton<SubmissionStore>();
        builder.Services.AddSingleton(TimeProvider.System);
        // Invalid policy stops the service here, with the file and field named.
        var agreements = builder.Configuration.GetSection(IngestionOptions.Section)[nameof(IngestionOptions.AgreementsDirectory)] ?? "policy/agreements";
        builder.Services.AddSingleton(DeclaredColumns.Load(Path.Combine(AppContext.BaseDirectory, agreements)));
        builder.Services.AddProblemDetails();
        // The body limit is Ingestion:Limits:MaximumBodyBytes, counted while the body streams (SubmissionBody).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        return builder;
    }
}
