using System.Diagnostics.Metrics;
using EarlyWarning.ServiceDefaults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// Fans every alert revision out to its channels, off the harmonized-cells consumer's path: the consumer's
/// transaction only queued the revision (delivery_queue, filled by a trigger on alert_revisions). Here, in one
/// transaction per batch of revisions: the subscriptions whose filter and owner's current scope match get a
/// feed entry and, with a webhook, a row in the webhook outbox; the revision goes to the bus topic (confirmed
/// by the broker); and it leaves the queue. A crash before the commit leaves it queued: the unique keys make the
/// next round add nothing twice, and the topic message keeps its id (at least once).
/// </summary>
internal sealed class DeliveryFanOut(
    NpgsqlDataSource db,
    DeliveryDocuments documents,
    AlertTopicPublisher topic,
    DeliverySignal signal,
    ResiliencePipelineProvider resilience,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryFanOut> logger) : BackgroundService
{
    private static readonly Meter Meter = new("EarlyWarning.Alerting");
    private static readonly Counter<long> Fanned = Meter.CreateCounter<long>("earlywarning.alerting.revisions_fanned_out", description: "Alert revisions fanned out to subscriptions and the bus topic");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            int taken;
            try
            {
                taken = await resilience.Postgres.ExecuteAsync(async ct => await FanOutOnceAsync(ct), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The revisions stay queued and are taken again next round.
                logger.LogError(ex, "Alert delivery fan-out failed; retrying in {Interval}", settings.PollInterval);
                taken = 0;
            }
            if (taken < settings.FanOutBatch)
                await Task.Delay(settings.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One batch; returns how many revisions it took.</summary>
    public async Task<int> FanOutOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var queued = await DeliveryStore.TakeQueuedAsync(connection, settings.FanOutBatch, ct);
        if (queued.Count == 0) return 0;
        var revisions = await DeliveryStore.RevisionsAsync(connection, queued, ct);
        var subscriptions = (await DeliveryStore.SubscriptionsAsync(connection, null, ct)).Where(s => s.State == "active").ToList();
        var scopes = await CurrentScopesAsync(connection, subscriptions, ct);
        var baseUrl = documents.BaseUrl();
        var webhooks = 0;
        foreach (var revision in revisions)
        {
            foreach (var s in subscriptions)
            {
                if (!s.Filter.Matches(revision, documents.Policy, scopes[s.SubscriptionId])) continue;
                await DeliveryStore.AddFeedEntryAsync(connection, s.SubscriptionId, revision, ct);
                if (s.WebhookUrl is null) continue;
                var deliveryId = Guid.NewGuid();
                await DeliveryStore.AddWebhookDeliveryAsync(connection, deliveryId, s, revision,
                    documents.WebhookBody(deliveryId, s.SubscriptionId, revision, baseUrl), ct);
                webhooks++;
            }
            if (settings.Topic.Enabled)
            {
                var key = AlertRoutingKey.Of(revision);
                var earlier = await DeliveryStore.EarlierAsync(db, revision.AlertId, revision.Revision, ct);
                await topic.PublishAsync(revision, key, documents.Cap(revision, earlier, baseUrl).ToString(), ct);
                await DeliveryStore.AddTopicPublicationAsync(connection, revision, topic.Exchange, key, ct);
            }
        }
        await DeliveryStore.DequeueAsync(connection, queued, ct);
        await tx.CommitAsync(ct);
        Fanned.Add(revisions.Count);
        if (webhooks > 0) signal.Set();
        return queued.Count;
    }

    /// <summary>
    /// Each subscription's owner's scope now: an API key's is read again from the identity schema (so a key whose
    /// countries were narrowed, or that was revoked, stops receiving at once), a token's is the one it last showed.
    /// A subscription whose owner can no longer see any country is suspended, with the reason.
    /// </summary>
    private async Task<Dictionary<Guid, IReadOnlySet<string>?>> CurrentScopesAsync(NpgsqlConnection connection, List<Subscription> subscriptions, CancellationToken ct)
    {
        var lapsedBefore = time.GetUtcNow() - options.Value.TokenScopeLifetime;
        foreach (var s in subscriptions.Where(s => !s.OwnerIsKey && s.Scope is not null && s.ScopeSeenAt < lapsedBefore).ToList())
        {
            await DeliveryStore.SetStateAsync(connection, s.SubscriptionId, "suspended",
                $"{Subscription.ScopeLapsed} {s.ScopeSeenAt:yyyy-MM-dd}; the owner's next GET /api/subscriptions resumes it", null, ct);
            subscriptions.Remove(s);
        }
        var keyScopes = await DeliveryStore.KeyScopesAsync(connection, subscriptions.Where(s => s.OwnerIsKey).Select(s => s.Owner), ct);
        var scopes = new Dictionary<Guid, IReadOnlySet<string>?>();
        foreach (var s in subscriptions.ToList())
        {
            var scope = s.OwnerIsKey
                ? keyScopes.GetValueOrDefault(Guid.TryParse(s.Owner, out var g) ? g.ToString() : "", new HashSet<string>())
                : s.Scope?.ToHashSet(StringComparer.Ordinal);
            scopes[s.SubscriptionId] = scope;
            if (scope is { Count: 0 })
            {
                await DeliveryStore.SetStateAsync(connection, s.SubscriptionId, "suspended", "the owner's credential no longer sees any country (revoked or scope removed)", null, ct);
                subscriptions.Remove(s);
            }
        }
        return scopes;
    }
}
