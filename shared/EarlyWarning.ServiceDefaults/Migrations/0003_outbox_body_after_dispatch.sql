-- What a message's row keeps once the broker confirmed it: a copy without record-level (personal) fields,
-- written with the message; NULL when the message carries none and is kept as it was published.
ALTER TABLE outbox ADD COLUMN body_after_dispatch bytea;
