namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// A stored subscription. <see cref="Owner"/> is the credential's subject (an API key's id when
/// <see cref="OwnerIsKey"/>); <see cref="Scope"/> is the reporting countries its owner could see when it last
/// called (null: an operator, every country).
/// </summary>
internal sealed record Subscription(
    Guid SubscriptionId,
    string Owner,
    bool OwnerIsKey,
    IReadOnlyList<string>? Scope,
    string Name,
    SubscriptionFilter Filter,
    string? WebhookUrl,
    string? WebhookSecret,
    string State,
    string? StateReason,
    DateTimeOffset CreatedAt)
{
    /// <summary>When the owner last showed its scope (a token-owned subscription lapses some time after).</summary>
    public DateTimeOffset ScopeSeenAt { get; init; } = CreatedAt;

    public const string ScopeLapsed = "the owner's token has not been seen since";
}

/// <summary>A subscription as its owner sees it (never the secret, except once at creation).</summary>
internal sealed record SubscriptionView(
    Guid SubscriptionId, string Name, SubscriptionFilter Filter, string? WebhookUrl, string State, string? StateReason,
    IReadOnlyList<string>? Scope, DateTimeOffset CreatedAt, string Feed, string Deliveries)
{
    public static SubscriptionView Of(Subscription s) => new(s.SubscriptionId, s.Name, s.Filter, s.WebhookUrl, s.State, s.StateReason, s.Scope,
        s.CreatedAt, $"/api/subscriptions/{s.SubscriptionId:D}/feed", $"/api/subscriptions/{s.SubscriptionId:D}/deliveries");
}

/// <summary>One webhook delivery in the log: what was sent where, its state, its answer and every attempt.</summary>
internal sealed record DeliveryLogEntry(
    Guid DeliveryId, Guid SubscriptionId, Guid AlertId, int Revision, string Channel, string Target, string State, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, int? LastStatus, string? LastError, IReadOnlyList<DeliveryAttempt> AttemptLog);

internal sealed record DeliveryAttempt(int Attempt, DateTimeOffset StartedAt, int DurationMs, int? Status, string? Error);

/// <summary>A revision that went to the bus topic, with its routing key.</summary>
internal sealed record TopicPublication(Guid AlertId, int Revision, string Exchange, string RoutingKey, DateTimeOffset PublishedAt);

/// <summary>A webhook delivery taken by the dispatcher for one attempt.</summary>
internal sealed record ClaimedDelivery(Guid DeliveryId, string Url, string Body, int Attempt, string? Secret, string SubscriptionState);
