-- A message that cannot be published is set aside with its reason (visible and replayable) instead of
-- being retried at the head of the table forever, which blocked every row after it.
ALTER TABLE outbox
    ADD COLUMN attempts     integer NOT NULL DEFAULT 0,
    ADD COLUMN last_error   text,
    ADD COLUMN set_aside_at timestamptz;
CREATE INDEX outbox_ready ON outbox (sequence) WHERE dispatched_at IS NULL AND set_aside_at IS NULL;
CREATE INDEX outbox_set_aside ON outbox (set_aside_at) WHERE set_aside_at IS NOT NULL;
-- Inbox rows are pruned after the duplicate-detection window (Inbox__Retention).
CREATE INDEX inbox_processed ON inbox (processed_at);
