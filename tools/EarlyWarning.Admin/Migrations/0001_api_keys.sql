-- Credentials of the callers of the HTTP APIs. Only salted hashes of the keys are kept; the key itself
-- is printed once when issued. Only the administrator's role writes here; services may only read.
CREATE TABLE api_keys (
    key_id      uuid        PRIMARY KEY,
    name        text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('publisher', 'analyst', 'operator')),
    country     char(3),                         -- a publisher's one reporting country
    countries   text[]      NOT NULL DEFAULT '{}', -- an analyst's scope of reporting countries
    salt        bytea       NOT NULL,
    hash        bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    revoked_at  timestamptz,
    replaced_by uuid        REFERENCES api_keys,
    CHECK ((role = 'publisher') = (country IS NOT NULL))
);
