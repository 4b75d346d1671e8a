-- An Idempotency-Key belongs to the publishing country: another country's reuse of a key is its own submission,
-- and never learns of, replays or pre-claims the first one.
DROP INDEX IF EXISTS submissions_idempotency_key;
CREATE UNIQUE INDEX IF NOT EXISTS submissions_country_idempotency_key ON submissions (reporting_country, idempotency_key) WHERE idempotency_key IS NOT NULL;
