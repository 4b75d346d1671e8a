-- A client's Idempotency-Key and the SHA-256 of what it sent (body, media type, country): a re-post with the
-- same key and content gets the original receipt; the same key with other content is refused (409).
ALTER TABLE submissions ADD COLUMN idempotency_key text;
ALTER TABLE submissions ADD COLUMN content_sha256 bytea;
CREATE UNIQUE INDEX submissions_idempotency_key ON submissions (idempotency_key) WHERE idempotency_key IS NOT NULL;
