using EarlyWarning.Ingestion.Submissions;

namespace EarlyWarning.Ingestion;

internal static class IngestionExtensions
{
    public static WebApplicationBuilder AddIngestion(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SubmissionStore>();
        // Large national files are the norm; Kestrel's 30 MB default would reject a year of daily rows.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 512L * 1024 * 1024);
        return builder;
    }
}
