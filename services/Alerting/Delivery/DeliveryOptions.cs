using Microsoft.Extensions.Options;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>Alert delivery, bound from "Delivery" (Delivery__Webhooks__MaxAttempts etc.) and checked at start, nested parts too.</summary>
internal sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>The policy folder (places/, codelists/). Empty: the nearest policy/ folder above the service's binaries.</summary>
    public string? PolicyDirectory { get; set; }

    /// <summary>CAP's sender: who the alerts come from (no spaces, commas or '&lt;' / '&amp;').</summary>
    public string Sender { get; set; } = "earlywarning-alerting@rcm-sacm.example";

    /// <summary>The service's public address, for the CAP links in webhook bodies and feeds (else the request's own address, or the first of ASPNETCORE_URLS).</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How often the fan-out and the webhook dispatcher look for work when nothing woke them.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Revisions fanned out per transaction.</summary>
    public int FanOutBatch { get; set; } = 100;

    /// <summary>Entries per page of an Atom feed (RFC 5005 paging).</summary>
    public int FeedPageSize { get; set; } = 50;

    /// <summary>Subscriptions one owner may hold at once: each costs a fan-out check per alert revision.</summary>
    public int MaximumSubscriptionsPerOwner { get; set; } = 100;

    /// <summary>
    /// How long a token-owned subscription keeps the scope its owner last showed: a JWT's countries are known only when
    /// its owner calls, so past this the subscription is suspended until the owner lists its subscriptions again.
    /// </summary>
    public TimeSpan TokenScopeLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Values one filter list (countries, places, corridors, categories, nationalities) may hold.</summary>
    public int MaximumFilterValues { get; set; } = 200;

    public WebhookOptions Webhooks { get; set; } = new();
    public TopicOptions Topic { get; set; } = new();

    public List<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Sender) || Sender.IndexOfAny([' ', ',', '<', '&']) >= 0)
            problems.Add("Delivery:Sender must be set, without spaces, commas, '<' or '&'");
        if (PublicBaseUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            problems.Add($"Delivery:PublicBaseUrl '{url}' is not an absolute URL");
        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromMinutes(1)) problems.Add("Delivery:PollInterval must be between 0 and 1 minute");
        if (FanOutBatch is < 1 or > 10_000) problems.Add("Delivery:FanOutBatch must be between 1 and 10000");
        if (FeedPageSize is < 1 or > 1000) problems.Add("Delivery:FeedPageSize must be between 1 and 1000");
        if (MaximumSubscriptionsPerOwner is < 1 or > 100_000) problems.Add("Delivery:MaximumSubscriptionsPerOwner must be between 1 and 100000");
        if (TokenScopeLifetime < TimeSpan.FromMinutes(1) || TokenScopeLifetime > TimeSpan.FromDays(365))
            problems.Add("Delivery:TokenScopeLifetime must be between 1 minute and 365 days");
        if (MaximumFilterValues is < 1 or > 10_000) problems.Add("Delivery:MaximumFilterValues must be between 1 and 10000");
        if (Webhooks.MaxAttempts is < 1 or > 100) problems.Add("Delivery:Webhooks:MaxAttempts must be between 1 and 100");
        if (Webhooks.FirstRetryDelay <= TimeSpan.Zero) problems.Add("Delivery:Webhooks:FirstRetryDelay must be positive");
        if (Webhooks.MaxRetryDelay < Webhooks.FirstRetryDelay) problems.Add("Delivery:Webhooks:MaxRetryDelay must not be less than FirstRetryDelay");
        if (Webhooks.Timeout <= TimeSpan.Zero || Webhooks.Timeout > TimeSpan.FromMinutes(5)) problems.Add("Delivery:Webhooks:Timeout must be between 0 and 5 minutes");
        if (Webhooks.Concurrency is < 1 or > 1000) problems.Add("Delivery:Webhooks:Concurrency must be between 1 and 1000");
        problems.AddRange(WebhookAllowList.Problems(Webhooks.AllowedHosts));
        if (Webhooks.SecretKey.Length < 24) problems.Add("Delivery:Webhooks:SecretKey must be set, at least 24 characters (it encrypts webhook secrets at rest)");
        else if (ServiceDefaults.Placeholders.Is(Webhooks.SecretKey)) problems.Add("Delivery:Webhooks:SecretKey is an example file's placeholder; set a random one");
        if (Topic.Enabled && (string.IsNullOrWhiteSpace(Topic.Exchange) || Topic.Exchange.StartsWith("amq.", StringComparison.Ordinal)))
            problems.Add("Delivery:Topic:Exchange must be set and must not start with 'amq.'");
        return problems;
    }
}

/// <summary>Webhook deliveries: attempts, backoff, how long a receiver may take and which internal destinations it may be at.</summary>
internal sealed class WebhookOptions
{
    /// <summary>Attempts before a delivery is given up and recorded as failed.</summary>
    public int MaxAttempts { get; set; } = 10;
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How long one attempt may take before it counts as failed (a receiver that never answers).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Requests in flight at once: a slow receiver holds one slot, not the queue.</summary>
    public int Concurrency { get; set; } = 32;
    /// <summary>
    /// Internal destinations webhooks may reach all the same (<see cref="WebhookAllowList"/>): host names, IP addresses,
    /// CIDR ranges. Empty by default: no loopback, private, link-local or other internal address at all.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>The key webhook secrets are encrypted under at rest (at least 24 characters; from the deployment's secrets).</summary>
    public string SecretKey { get; set; } = "";
}

/// <summary>The topic exchange on the regional virtual host that bus subscribers bind to.</summary>
internal sealed class TopicOptions
{
    public bool Enabled { get; set; } = true;
    public string Exchange { get; set; } = "earlywarning.alerts";
}

internal sealed class DeliveryOptionsValidation : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options) =>
        options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
