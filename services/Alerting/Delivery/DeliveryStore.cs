using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>The SQL of delivery: revisions as delivered, subscriptions, the webhook outbox and the delivery log.</summary>
internal static class DeliveryStore
{
    private const string RevisionColumns =
        """
        r.alert_id, r.revision, r.references_revision, r.msg_type, r.state, a.reporting_country, a.border_point, a.nationality, a.category,
        r.start_week, r.last_surge_week, r.closed_week, r.weeks_above, r.peak_week, r.observed, r.expected, r.upper_bound, r.algorithm,
        r.severity, r.certainty, r.probability, r.reason, r.sent_at
        """;

    private const string SubscriptionColumns =
        """
        subscription_id, owner, owner_is_key, scope, name, countries, places, corridors, categories, nationalities, minimum_severity, states,
        webhook_url, webhook_secret, state, state_reason, created_at, scope_seen_at
        """;

    // ---- revisions ----

    /// <summary>A revision, if its alert's reporting country is visible (null: every country).</summary>
    public static async Task<AlertRevision?> RevisionAsync(NpgsqlDataSource db, Guid alertId, int revision, IReadOnlyCollection<string>? visible, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            $"""
            SELECT {RevisionColumns} FROM alert_revisions r JOIN alerts a USING (alert_id)
            WHERE r.alert_id = @id AND r.revision = @revision AND (@visible::text[] IS NULL OR a.reporting_country = ANY(@visible))
            """);
        cmd.Parameters.AddWithValue("id", alertId);
        cmd.Parameters.AddWithValue("revision", revision);
        Visible(cmd, visible);
        return (await ReadRevisionsAsync(cmd, ct)).FirstOrDefault();
    }

    /// <summary>The revisions before this one (number and time sent), oldest first: what an Update or a Cancel references.</summary>
    public static async Task<List<(int, DateTimeOffset)>> EarlierAsync(NpgsqlDataSource db, Guid alertId, int revision, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT revision, sent_at FROM alert_revisions WHERE alert_id = @id AND revision < @revision ORDER BY revision");
        cmd.Parameters.AddWithValue("id", alertId);
        cmd.Parameters.AddWithValue("revision", revision);
        var earlier = new List<(int, DateTimeOffset)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) earlier.Add((r.GetInt32(0), r.GetFieldValue<DateTimeOffset>(1)));
        return earlier;
    }

    /// <summary>A page of the revisions of every visible alert, newest first, and how many there are.</summary>
    public static async Task<(List<AlertRevision> Page, long Total)> VisibleRevisionsAsync(NpgsqlDataSource db, IReadOnlyCollection<string>? visible,
        int offset, int limit, CancellationToken ct)
    {
        await using var count = db.CreateCommand(
            "SELECT count(*) FROM alert_revisions r JOIN alerts a USING (alert_id) WHERE (@visible::text[] IS NULL OR a.reporting_country = ANY(@visible))");
        Visible(count, visible);
        var total = (long)(await count.ExecuteScalarAsync(ct))!;
        await using var cmd = db.CreateCommand(
            $"""
            SELECT {RevisionColumns} FROM alert_revisions r JOIN alerts a USING (alert_id)
            WHERE (@visible::text[] IS NULL OR a.reporting_country = ANY(@visible))
            ORDER BY r.sent_at DESC, r.alert_id, r.revision DESC OFFSET @offset LIMIT @limit
            """);
        Visible(cmd, visible);
        cmd.Parameters.AddWithValue("offset", offset);
        cmd.Parameters.AddWithValue("limit", limit);
        return (await ReadRevisionsAsync(cmd, ct), total);
    }

    /// <summary>A page of the revisions a subscription's feed carries, newest first, within the scope, and how many there are.</summary>
    public static async Task<(List<AlertRevision> Page, long Total)> FeedRevisionsAsync(NpgsqlDataSource db, Guid subscriptionId,
        IReadOnlyCollection<string>? visible, int offset, int limit, CancellationToken ct)
    {
        const string from =
            """
            FROM feed_entries f JOIN alert_revisions r ON r.alert_id = f.alert_id AND r.revision = f.revision JOIN alerts a ON a.alert_id = f.alert_id
            WHERE f.subscription_id = @subscription AND (@visible::text[] IS NULL OR a.reporting_country = ANY(@visible))
            """;
        await using var count = db.CreateCommand($"SELECT count(*) {from}");
        count.Parameters.AddWithValue("subscription", subscriptionId);
        Visible(count, visible);
        var total = (long)(await count.ExecuteScalarAsync(ct))!;
        await using var cmd = db.CreateCommand($"SELECT {RevisionColumns} {from} ORDER BY r.sent_at DESC, r.alert_id, r.revision DESC OFFSET @offset LIMIT @limit");
        cmd.Parameters.AddWithValue("subscription", subscriptionId);
        Visible(cmd, visible);
        cmd.Parameters.AddWithValue("offset", offset);
        cmd.Parameters.AddWithValue("limit", limit);
        return (await ReadRevisionsAsync(cmd, ct), total);
    }

    // ---- subscriptions ----

    public static async Task InsertSubscriptionAsync(NpgsqlDataSource db, Subscription s, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            INSERT INTO subscriptions (subscription_id, owner, owner_is_key, scope, name, countries, places, corridors, categories, nationalities,
                                       minimum_severity, states, webhook_url, webhook_secret, state, created_at, updated_at)
            VALUES (@id, @owner, @isKey, @scope, @name, @countries, @places, @corridors, @categories, @nationalities, @severity, @states, @url, @secret,
                    'active', @now, @now)
            """);
        cmd.Parameters.AddWithValue("id", s.SubscriptionId);
        cmd.Parameters.AddWithValue("owner", s.Owner);
        cmd.Parameters.AddWithValue("isKey", s.OwnerIsKey);
        cmd.Parameters.AddWithValue("scope", NpgsqlDbType.Array | NpgsqlDbType.Text, (object?)s.Scope?.ToArray() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("name", s.Name);
        cmd.Parameters.AddWithValue("countries", s.Filter.Countries.ToArray());
        cmd.Parameters.AddWithValue("places", s.Filter.Places.ToArray());
        cmd.Parameters.AddWithValue("corridors", s.Filter.Corridors.ToArray());
        cmd.Parameters.AddWithValue("categories", s.Filter.Categories.ToArray());
        cmd.Parameters.AddWithValue("nationalities", s.Filter.Nationalities.ToArray());
        cmd.Parameters.AddWithValue("severity", NpgsqlDbType.Text, (object?)s.Filter.MinimumSeverity ?? DBNull.Value);
        cmd.Parameters.AddWithValue("states", s.Filter.States.ToArray());
        cmd.Parameters.AddWithValue("url", NpgsqlDbType.Text, (object?)s.WebhookUrl ?? DBNull.Value);
        cmd.Parameters.AddWithValue("secret", NpgsqlDbType.Text, (object?)s.WebhookSecret ?? DBNull.Value);
        cmd.Parameters.AddWithValue("now", s.CreatedAt);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Subscriptions not deleted: of one owner, or every owner's (null).</summary>
    public static async Task<long> SubscriptionCountAsync(NpgsqlDataSource db, string owner, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM subscriptions WHERE state <> 'deleted' AND owner = @owner");
        cmd.Parameters.AddWithValue("owner", owner);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task<List<Subscription>> SubscriptionsAsync(NpgsqlConnection connection, string? owner, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"SELECT {SubscriptionColumns} FROM subscriptions WHERE state <> 'deleted' AND (@owner::text IS NULL OR owner = @owner) ORDER BY created_at", connection);
        cmd.Parameters.AddWithValue("owner", NpgsqlDbType.Text, (object?)owner ?? DBNull.Value);
        return await ReadSubscriptionsAsync(cmd, ct);
    }

    public static async Task<Subscription?> SubscriptionAsync(NpgsqlDataSource db, Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {SubscriptionColumns} FROM subscriptions WHERE subscription_id = @id AND state <> 'deleted'");
        cmd.Parameters.AddWithValue("id", id);
        return (await ReadSubscriptionsAsync(cmd, ct)).FirstOrDefault();
    }

    /// <summary>Sets the state (active, suspended, deleted) and its reason, and the owner's scope as last seen (null keeps it).</summary>
    public static async Task SetStateAsync(NpgsqlConnection connection, Guid id, string state, string? reason, IReadOnlyList<string>? scope, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            UPDATE subscriptions SET state = @state, state_reason = @reason, scope = CASE WHEN @setScope THEN @scope ELSE scope END,
                   scope_seen_at = CASE WHEN @setScope THEN clock_timestamp() ELSE scope_seen_at END, updated_at = clock_timestamp()
            WHERE subscription_id = @id
            """, connection);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("state", state);
        cmd.Parameters.AddWithValue("reason", NpgsqlDbType.Text, (object?)reason ?? DBNull.Value);
        cmd.Parameters.AddWithValue("setScope", scope is not null);
        cmd.Parameters.AddWithValue("scope", NpgsqlDbType.Array | NpgsqlDbType.Text, (object?)scope?.ToArray() ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The current scope of API-key owners, read again from the identity schema: a key's role and countries
    /// (operators: null, every country); a revoked or unknown key has none (an empty scope).
    /// </summary>
    public static async Task<Dictionary<string, IReadOnlySet<string>?>> KeyScopesAsync(NpgsqlConnection connection, IEnumerable<string> keyIds, CancellationToken ct)
    {
        var ids = keyIds.Select(k => Guid.TryParse(k, out var g) ? g : Guid.Empty).Distinct().ToArray();
        var scopes = ids.ToDictionary(i => i.ToString(), _ => (IReadOnlySet<string>?)new HashSet<string>());
        if (ids.Length == 0) return scopes;
        await using var cmd = new NpgsqlCommand(
            "SELECT key_id, role, countries FROM identity.api_keys WHERE key_id = ANY(@ids) AND revoked_at IS NULL", connection);
        cmd.Parameters.AddWithValue("ids", ids);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            scopes[r.GetGuid(0).ToString()] = r.GetString(1) == "operator" ? null
                : r.GetString(1) == "analyst" ? r.GetFieldValue<string[]>(2).ToHashSet(StringComparer.Ordinal) : new HashSet<string>();
        return scopes;
    }

    // ---- fan-out ----

    /// <summary>Takes (locks) the oldest queued revisions; other instances skip them.</summary>
    public static async Task<List<(Guid AlertId, int Revision)>> TakeQueuedAsync(NpgsqlConnection connection, int limit, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT alert_id, revision FROM delivery_queue ORDER BY queued_at, alert_id, revision LIMIT @limit FOR UPDATE SKIP LOCKED", connection);
        cmd.Parameters.AddWithValue("limit", limit);
        var queued = new List<(Guid, int)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) queued.Add((r.GetGuid(0), r.GetInt32(1)));
        return queued;
    }

    public static async Task<List<AlertRevision>> RevisionsAsync(NpgsqlConnection connection, IReadOnlyList<(Guid AlertId, int Revision)> keys, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"""
            SELECT {RevisionColumns} FROM unnest(@ids, @revisions) AS k(alert_id, revision)
            JOIN alert_revisions r ON r.alert_id = k.alert_id AND r.revision = k.revision JOIN alerts a ON a.alert_id = k.alert_id
            ORDER BY r.sent_at, r.alert_id, r.revision
            """, connection);
        cmd.Parameters.AddWithValue("ids", keys.Select(k => k.AlertId).ToArray());
        cmd.Parameters.AddWithValue("revisions", keys.Select(k => k.Revision).ToArray());
        return await ReadRevisionsAsync(cmd, ct);
    }

    public static async Task AddWebhookDeliveryAsync(NpgsqlConnection connection, Guid deliveryId, Subscription s, AlertRevision r, string body, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO webhook_deliveries (delivery_id, subscription_id, alert_id, revision, url, body)
            VALUES (@id, @subscription, @alert, @revision, @url, @body) ON CONFLICT (subscription_id, alert_id, revision) DO NOTHING
            """, connection);
        cmd.Parameters.AddWithValue("id", deliveryId);
        cmd.Parameters.AddWithValue("subscription", s.SubscriptionId);
        cmd.Parameters.AddWithValue("alert", r.AlertId);
        cmd.Parameters.AddWithValue("revision", r.Revision);
        cmd.Parameters.AddWithValue("url", s.WebhookUrl!);
        cmd.Parameters.AddWithValue("body", body);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task AddFeedEntryAsync(NpgsqlConnection connection, Guid subscriptionId, AlertRevision r, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO feed_entries (subscription_id, alert_id, revision) VALUES (@subscription, @alert, @revision) ON CONFLICT DO NOTHING", connection);
        cmd.Parameters.AddWithValue("subscription", subscriptionId);
        cmd.Parameters.AddWithValue("alert", r.AlertId);
        cmd.Parameters.AddWithValue("revision", r.Revision);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task AddTopicPublicationAsync(NpgsqlConnection connection, AlertRevision r, string exchange, string routingKey, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO topic_publications (alert_id, revision, exchange, routing_key) VALUES (@alert, @revision, @exchange, @key)
            ON CONFLICT (alert_id, revision) DO UPDATE SET published_at = clock_timestamp()
            """, connection);
        cmd.Parameters.AddWithValue("alert", r.AlertId);
        cmd.Parameters.AddWithValue("revision", r.Revision);
        cmd.Parameters.AddWithValue("exchange", exchange);
        cmd.Parameters.AddWithValue("key", routingKey);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task DequeueAsync(NpgsqlConnection connection, IReadOnlyList<(Guid AlertId, int Revision)> keys, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "DELETE FROM delivery_queue q USING unnest(@ids, @revisions) AS k(alert_id, revision) WHERE q.alert_id = k.alert_id AND q.revision = k.revision",
            connection);
        cmd.Parameters.AddWithValue("ids", keys.Select(k => k.AlertId).ToArray());
        cmd.Parameters.AddWithValue("revisions", keys.Select(k => k.Revision).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    // ---- webhook outbox ----

    /// <summary>
    /// Takes up to <paramref name="limit"/> due deliveries for one attempt each: counts the attempt and moves its next
    /// attempt past <paramref name="lease"/>, so that a crash during the request leaves it to be tried again then.
    /// </summary>
    public static async Task<List<ClaimedDelivery>> ClaimDueAsync(NpgsqlDataSource db, int limit, TimeSpan lease, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = clock_timestamp() + @lease
            FROM subscriptions s
            WHERE s.subscription_id = d.subscription_id AND d.delivery_id IN (
                SELECT delivery_id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= clock_timestamp()
                ORDER BY next_attempt_at LIMIT @limit FOR UPDATE SKIP LOCKED)
            RETURNING d.delivery_id, d.url, d.body, d.attempts, s.webhook_secret, s.state
            """);
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("lease", lease);
        var claimed = new List<ClaimedDelivery>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            claimed.Add(new ClaimedDelivery(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5)));
        return claimed;
    }

    /// <summary>Records an attempt and what follows: delivered, failed for good, or pending until <paramref name="next"/>.</summary>
    public static async Task RecordAttemptAsync(NpgsqlDataSource db, ClaimedDelivery d, DateTimeOffset started, int durationMs, int? status, string? error,
        string state, DateTimeOffset? next, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        var attempt = new NpgsqlBatchCommand(
            """
            INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status, error) VALUES (@id, @attempt, @started, @duration, @status, @error)
            ON CONFLICT DO NOTHING
            """);
        attempt.Parameters.AddWithValue("id", d.DeliveryId);
        attempt.Parameters.AddWithValue("attempt", d.Attempt);
        attempt.Parameters.AddWithValue("started", started);
        attempt.Parameters.AddWithValue("duration", durationMs);
        attempt.Parameters.AddWithValue("status", NpgsqlDbType.Integer, (object?)status ?? DBNull.Value);
        attempt.Parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
        batch.BatchCommands.Add(attempt);
        var update = new NpgsqlBatchCommand(
            """
            UPDATE webhook_deliveries SET state = @state, last_status = @status, last_error = @error,
                next_attempt_at = coalesce(@next, next_attempt_at), finished_at = CASE WHEN @state = 'pending' THEN NULL ELSE clock_timestamp() END
            WHERE delivery_id = @id
            """);
        update.Parameters.AddWithValue("id", d.DeliveryId);
        update.Parameters.AddWithValue("state", state);
        update.Parameters.AddWithValue("status", NpgsqlDbType.Integer, (object?)status ?? DBNull.Value);
        update.Parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
        update.Parameters.AddWithValue("next", NpgsqlDbType.TimestampTz, (object?)next ?? DBNull.Value);
        batch.BatchCommands.Add(update);
        await batch.ExecuteNonQueryAsync(ct);
    }

    // ---- delivery log ----

    /// <summary>The webhook deliveries and feed entries of a subscription, or of an alert (limited to the given subscriptions, null: all).</summary>
    public static async Task<List<DeliveryLogEntry>> LogAsync(NpgsqlDataSource db, Guid? subscriptionId, Guid? alertId, IReadOnlyCollection<Guid>? subscriptions,
        CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT d.delivery_id, d.subscription_id, d.alert_id, d.revision, 'webhook', d.url, d.state, d.attempts, d.created_at, d.finished_at,
                   d.last_status, d.last_error,
                   coalesce((SELECT array_agg(w.attempt ORDER BY w.attempt) FROM webhook_attempts w WHERE w.delivery_id = d.delivery_id), '{}'),
                   coalesce((SELECT array_agg(w.started_at ORDER BY w.attempt) FROM webhook_attempts w WHERE w.delivery_id = d.delivery_id), '{}'),
                   coalesce((SELECT array_agg(w.duration_ms ORDER BY w.attempt) FROM webhook_attempts w WHERE w.delivery_id = d.delivery_id), '{}'),
                   coalesce((SELECT array_agg(coalesce(w.status, 0) ORDER BY w.attempt) FROM webhook_attempts w WHERE w.delivery_id = d.delivery_id), '{}'),
                   coalesce((SELECT array_agg(coalesce(w.error, '') ORDER BY w.attempt) FROM webhook_attempts w WHERE w.delivery_id = d.delivery_id), '{}')
            FROM webhook_deliveries d
            WHERE (@subscription::uuid IS NULL OR d.subscription_id = @subscription) AND (@alert::uuid IS NULL OR d.alert_id = @alert)
              AND (@subscriptions::uuid[] IS NULL OR d.subscription_id = ANY(@subscriptions))
            UNION ALL
            SELECT NULL, f.subscription_id, f.alert_id, f.revision, 'feed', '/api/subscriptions/' || f.subscription_id || '/feed', 'delivered', 1,
                   f.added_at, f.added_at, NULL, NULL, '{}', '{}', '{}', '{}', '{}'
            FROM feed_entries f
            WHERE (@subscription::uuid IS NULL OR f.subscription_id = @subscription) AND (@alert::uuid IS NULL OR f.alert_id = @alert)
              AND (@subscriptions::uuid[] IS NULL OR f.subscription_id = ANY(@subscriptions))
            ORDER BY 9 DESC, 5 LIMIT 1000
            """);
        cmd.Parameters.AddWithValue("subscription", NpgsqlDbType.Uuid, (object?)subscriptionId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("alert", NpgsqlDbType.Uuid, (object?)alertId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("subscriptions", NpgsqlDbType.Array | NpgsqlDbType.Uuid, (object?)subscriptions?.ToArray() ?? DBNull.Value);
        var log = new List<DeliveryLogEntry>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var numbers = r.GetFieldValue<int[]>(12);
            var started = r.GetFieldValue<DateTime[]>(13);
            var durations = r.GetFieldValue<int[]>(14);
            var statuses = r.GetFieldValue<int[]>(15);
            var errors = r.GetFieldValue<string[]>(16);
            var attempts = numbers.Select((n, i) => new DeliveryAttempt(n, new DateTimeOffset(started[i], TimeSpan.Zero), durations[i],
                statuses[i] == 0 ? null : statuses[i], errors[i] == "" ? null : errors[i])).ToList();
            log.Add(new DeliveryLogEntry(r.IsDBNull(0) ? Guid.Empty : r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetInt32(3), r.GetString(4), r.GetString(5),
                r.GetString(6), r.GetInt32(7), r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
                r.IsDBNull(10) ? null : r.GetInt32(10), r.IsDBNull(11) ? null : r.GetString(11), attempts));
        }
        return log;
    }

    public static async Task<List<TopicPublication>> TopicPublicationsAsync(NpgsqlDataSource db, Guid alertId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "SELECT alert_id, revision, exchange, routing_key, published_at FROM topic_publications WHERE alert_id = @id ORDER BY revision");
        cmd.Parameters.AddWithValue("id", alertId);
        var list = new List<TopicPublication>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(new TopicPublication(r.GetGuid(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4)));
        return list;
    }

    // ---- reading ----

    private static void Visible(NpgsqlCommand cmd, IReadOnlyCollection<string>? visible) =>
        cmd.Parameters.AddWithValue("visible", NpgsqlDbType.Array | NpgsqlDbType.Text, (object?)visible?.ToArray() ?? DBNull.Value);

    private static async Task<List<AlertRevision>> ReadRevisionsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<AlertRevision>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new AlertRevision(r.GetGuid(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.GetString(3), r.GetString(4),
                r.GetString(5).Trim(), r.GetString(6), r.GetString(7).Trim(), r.GetString(8), r.GetFieldValue<DateOnly>(9), r.GetFieldValue<DateOnly>(10),
                r.IsDBNull(11) ? null : r.GetFieldValue<DateOnly>(11), r.GetInt32(12), r.GetFieldValue<DateOnly>(13), r.GetInt64(14), r.GetDouble(15),
                r.GetDouble(16), r.GetString(17), r.GetString(18), r.GetString(19), r.IsDBNull(20) ? null : r.GetDouble(20),
                r.IsDBNull(21) ? null : r.GetString(21), r.GetFieldValue<DateTimeOffset>(22)));
        return list;
    }

    private static async Task<List<Subscription>> ReadSubscriptionsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<Subscription>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new Subscription(r.GetGuid(0), r.GetString(1), r.GetBoolean(2), r.IsDBNull(3) ? null : r.GetFieldValue<string[]>(3), r.GetString(4),
                new SubscriptionFilter(r.GetFieldValue<string[]>(5), r.GetFieldValue<string[]>(6), r.GetFieldValue<string[]>(7), r.GetFieldValue<string[]>(8),
                    r.GetFieldValue<string[]>(9), r.IsDBNull(10) ? null : r.GetString(10), r.GetFieldValue<string[]>(11)),
                r.IsDBNull(12) ? null : r.GetString(12), r.IsDBNull(13) ? null : r.GetString(13), r.GetString(14), r.IsDBNull(15) ? null : r.GetString(15),
                r.GetFieldValue<DateTimeOffset>(16)) { ScopeSeenAt = r.GetFieldValue<DateTimeOffset>(17) });
        return list;
    }
}
