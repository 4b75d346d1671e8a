-- Mappings and code lists are versioned policy files now (policy/), loaded and validated at start-up: the tables
-- 0001 seeded are no longer read.
DROP TABLE category_map;
DROP TABLE nationality_aliases;
DROP TABLE regional_categories;
-- Replaced by held_cells: the counts of unmapped values are computed from the held cells themselves, so that
-- concurrent batches never update a shared counter row (the upsert of shared codes deadlocked under load).
DROP TABLE unmapped_codes;

-- What each harmonized cell was written as, and the policy that produced it.
ALTER TABLE harmonized_observations
    ADD COLUMN national_border_point text,
    ADD COLUMN national_nationality  text,
    ADD COLUMN mapping_version       text,
    ADD COLUMN policy_digest         text,
    ADD COLUMN replayed_at           timestamptz;

-- Every policy the service has applied, recorded when loaded (not per batch): the versions behind a digest.
CREATE TABLE policy_versions (
    policy_digest  text        PRIMARY KEY,
    code_lists     text        NOT NULL,
    mapping_tables text        NOT NULL,
    first_loaded   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX harmonized_export ON harmonized_observations (reporting_country, period);

-- Cells with a category, nationality or place no policy covers, kept as written until a mapping is added and
-- they are replayed. Append-only per batch row: no two batches ever write the same row.
CREATE TABLE held_cells (
    submission_id     uuid        NOT NULL,
    line              integer     NOT NULL,
    reporting_country char(3)     NOT NULL,
    batch_number      integer     NOT NULL,
    batch_count       integer     NOT NULL,
    accepted_at       timestamptz NOT NULL,
    period            date        NOT NULL,
    border_point      text        NOT NULL,
    nationality       text        NOT NULL,
    category          text        NOT NULL,
    sex               text,
    age_group         text,
    count             bigint,
    suppressed        boolean     NOT NULL,
    reasons           text[]      NOT NULL,
    policy_digest     text        NOT NULL,
    held_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    trace_id          text,
    PRIMARY KEY (submission_id, line)
);
CREATE INDEX held_cells_country ON held_cells (reporting_country);

-- Every distinct unmapped value as written, with the cells and events it holds: what an operator maps next.
CREATE VIEW unmapped_values AS
SELECT reporting_country, reason AS kind,
       CASE reason WHEN 'category' THEN category WHEN 'nationality' THEN nationality ELSE border_point END AS written,
       count(*) AS cells, coalesce(sum(count), 0) AS events, min(held_at) AS first_held, max(held_at) AS last_held
FROM held_cells CROSS JOIN LATERAL unnest(reasons) AS reason
GROUP BY 1, 2, 3;
