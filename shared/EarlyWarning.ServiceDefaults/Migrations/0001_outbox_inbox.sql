-- Messages committed with a unit of work and published afterwards by the outbox dispatcher.
CREATE TABLE outbox (
    sequence      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id    uuid        NOT NULL UNIQUE,
    message_type  text        NOT NULL,
    body          bytea       NOT NULL, -- UTF-8 JSON, kept as bytes so PostgreSQL does not parse it: convert_from(body, 'UTF8')::json to read it
    trace_parent  text,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    dispatched_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (sequence) WHERE dispatched_at IS NULL;

-- Messages a consumer has processed; written in the consumer's own transaction.
CREATE TABLE inbox (
    message_id   uuid        NOT NULL,
    consumer     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (message_id, consumer)
);
