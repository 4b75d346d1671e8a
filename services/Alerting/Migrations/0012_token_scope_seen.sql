-- When a token-owned subscription's owner last showed its scope (a JWT's countries can only be read when the owner
-- calls): past Delivery:TokenScopeLifetime the subscription is suspended until the owner calls again.
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS scope_seen_at timestamptz NOT NULL DEFAULT clock_timestamp();
