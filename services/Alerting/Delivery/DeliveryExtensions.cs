using System.Net;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Alerting.Delivery;

internal static class DeliveryExtensions
{
    /// <summary>Alert delivery: its options and policy (both checked at start), the fan-out, the webhook dispatcher and the bus topic.</summary>
    public static WebApplicationBuilder AddAlertDelivery(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidation>();
        services.AddSingleton(sp => DeliveryPolicy.Load(DeliveryPolicy.ResolveDirectory(sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.PolicyDirectory)));
        services.AddSingleton<DeliveryDocuments>();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<AlertTopicPublisher>();
        services.AddSingleton(sp => new WebhookSecretProtector(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeliveryOptions>>().Value.Webhooks.SecretKey));
        services.AddSingleton(sp => new WebhookDestinations(
            WebhookAllowList.Parse(sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.Webhooks.AllowedHosts), Dns.GetHostAddressesAsync));
        // No automatic redirects: a webhook answers at the address it was registered with, or it fails. Every connection
        // goes through WebhookDestinations (no internal address unless allowed), so no proxy either: through one, the
        // callback would see the proxy, not the receiver. The requests are HTTP/1.1: HTTP/3 (QUIC) would not use the callback.
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                UseProxy = false,
                ConnectCallback = sp.GetRequiredService<WebhookDestinations>().ConnectAsync,
            });
        services.AddHostedService<DeliveryFanOut>();
        services.AddHostedService<WebhookDispatcher>();
        return builder;
    }

    /// <summary>Declares the alerts' topic exchange before the service takes traffic, retrying while the broker starts.</summary>
    public static async Task DeclareAlertTopicAsync(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value.Topic.Enabled) return;
        var topic = app.Services.GetRequiredService<AlertTopicPublisher>();
        await app.Services.GetRequiredService<EarlyWarning.ServiceDefaults.ResiliencePipelineProvider>().Startup
            .ExecuteAsync(async ct => await topic.DeclareAsync(ct), app.Lifetime.ApplicationStopping);
    }

    /// <summary>Loads the delivery policy now, so that an invalid file stops the service at start with the file and field it names.</summary>
    public static bool LoadDeliveryPolicy(this WebApplication app)
    {
        try
        {
            app.Services.GetRequiredService<DeliveryPolicy>();
            return true;
        }
        catch (DeliveryPolicyException e)
        {
            Console.Error.WriteLine($"Invalid policy: {e.Message}");
            return false;
        }
    }
}
