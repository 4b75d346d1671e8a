-- Alert delivery (services/Alerting/Delivery): subscriptions, and what each alert revision was sent to.

-- An analyst's subscription: filters over the alerts it may see, and optionally a webhook. The owner is the
-- credential's subject; for an API key (owner_is_key) its current scope is read again from identity.api_keys
-- each time a revision is delivered, so a scope that shrank (or a revoked key) stops deliveries at once.
CREATE TABLE subscriptions (
    subscription_id  uuid PRIMARY KEY,
    owner            text        NOT NULL,
    owner_is_key     boolean     NOT NULL,
    scope            text[],
    name             text        NOT NULL,
    countries        text[]      NOT NULL DEFAULT '{}',
    places           text[]      NOT NULL DEFAULT '{}',
    corridors        text[]      NOT NULL DEFAULT '{}',
    categories       text[]      NOT NULL DEFAULT '{}',
    nationalities    text[]      NOT NULL DEFAULT '{}',
    minimum_severity text,
    states           text[]      NOT NULL DEFAULT '{}',
    webhook_url      text,
    webhook_secret   text,
    state            text        NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'suspended', 'deleted')),
    state_reason     text,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX subscriptions_owner ON subscriptions (owner);

-- Every alert revision waiting to be fanned out to subscriptions and the bus topic. Filled by a trigger in
-- the transaction that writes the revision, so a crash can never lose a notification: the revision and its
-- place in this queue commit together or not at all.
CREATE TABLE delivery_queue (
    alert_id  uuid    NOT NULL,
    revision  integer NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (alert_id, revision)
);

CREATE FUNCTION queue_revision_for_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO delivery_queue (alert_id, revision) VALUES (NEW.alert_id, NEW.revision) ON CONFLICT DO NOTHING;
    RETURN NEW;
END $$;

CREATE TRIGGER alert_revisions_delivery AFTER INSERT ON alert_revisions
    FOR EACH ROW EXECUTE FUNCTION queue_revision_for_delivery();

-- The webhook outbox: one row per revision and subscription (unique, so fanning out again after a crash adds
-- nothing). delivery_id is the idempotency id the receiver sees on every attempt.
CREATE TABLE webhook_deliveries (
    delivery_id     uuid PRIMARY KEY,
    subscription_id uuid        NOT NULL REFERENCES subscriptions (subscription_id),
    alert_id        uuid        NOT NULL,
    revision        integer     NOT NULL,
    url             text        NOT NULL,
    body            text        NOT NULL,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at     timestamptz,
    last_status     integer,
    last_error      text,
    UNIQUE (subscription_id, alert_id, revision)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_alert ON webhook_deliveries (alert_id, revision);

-- Every attempt of a webhook delivery: when, how long, the receiver's answer or why there was none.
CREATE TABLE webhook_attempts (
    delivery_id  uuid        NOT NULL REFERENCES webhook_deliveries (delivery_id),
    attempt      integer     NOT NULL,
    started_at   timestamptz NOT NULL,
    duration_ms  integer     NOT NULL,
    status       integer,
    error        text,
    PRIMARY KEY (delivery_id, attempt)
);

-- The revisions a subscription's Atom feed carries (what it was told, through the feed).
CREATE TABLE feed_entries (
    subscription_id uuid    NOT NULL REFERENCES subscriptions (subscription_id),
    alert_id        uuid    NOT NULL,
    revision        integer NOT NULL,
    added_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (subscription_id, alert_id, revision)
);
CREATE INDEX feed_entries_alert ON feed_entries (alert_id, revision);

-- What went to the bus topic, with its routing key and the broker's confirmation time.
CREATE TABLE topic_publications (
    alert_id     uuid    NOT NULL,
    revision     integer NOT NULL,
    exchange     text    NOT NULL,
    routing_key  text    NOT NULL,
    published_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (alert_id, revision)
);
