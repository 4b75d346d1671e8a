-- Agreements as they were applied: the same id and version must always be the same file.
CREATE TABLE agreement_versions (
    agreement_id    text        NOT NULL,
    version         integer     NOT NULL,
    country         text        NOT NULL,
    effective_from  date        NOT NULL,
    sha256          text        NOT NULL,
    source          text        NOT NULL,
    first_loaded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (agreement_id, version)
);

-- Batches of each submission received so far: the agreement is applied once all of them are here.
CREATE TABLE submission_batches (
    submission_id     uuid        NOT NULL,
    batch_number      integer     NOT NULL,
    batch_count       integer     NOT NULL,
    reporting_country char(3)     NOT NULL,
    observations      integer     NOT NULL,
    personal_fields_removed integer NOT NULL,
    quasi_identifiers_generalized integer NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (submission_id, batch_number)
);

-- Cells of submissions still waiting for batches: counts only, personal fields were removed before this.
CREATE TABLE pending_cells (
    submission_id uuid    NOT NULL,
    period        date    NOT NULL,
    border_point  text    NOT NULL,
    nationality   text    NOT NULL,
    category      text    NOT NULL,
    sex           text    NOT NULL, -- '' when not broken down
    age_group     text    NOT NULL, -- '' when not broken down
    count         bigint  NOT NULL,
    line          integer NOT NULL
);
CREATE INDEX pending_cells_submission ON pending_cells (submission_id);

-- Keyed pseudonyms of a submission still waiting, to count distinct persons; deleted once it is released.
CREATE TABLE pending_persons (
    submission_id uuid NOT NULL,
    pseudonym     text NOT NULL,
    PRIMARY KEY (submission_id, pseudonym)
);

-- The national table, cell by cell as last submitted (a later submission of a cell revises it). It stays in
-- the publishing country: releases are computed from whole groups of it.
CREATE TABLE national_cells (
    reporting_country char(3) NOT NULL,
    period            date    NOT NULL,
    border_point      text    NOT NULL,
    nationality       text    NOT NULL,
    category          text    NOT NULL,
    sex               text    NOT NULL,
    age_group         text    NOT NULL,
    count             bigint  NOT NULL,
    line              integer NOT NULL,
    submission_id     uuid    NOT NULL,
    PRIMARY KEY (reporting_country, period, border_point, nationality, category, sex, age_group)
);

-- Every value each published cell was ever released with: the revision rule compares a new count with all of them.
CREATE TABLE released_cells (
    reporting_country char(3)  NOT NULL,
    period            date     NOT NULL,
    border_point      text     NOT NULL,
    nationality       text     NOT NULL,
    category          text     NOT NULL,
    sex               text     NOT NULL,
    age_group         text     NOT NULL,
    released_values   bigint[] NOT NULL,
    PRIMARY KEY (reporting_country, period, border_point, nationality, category, sex, age_group)
);

-- What the agreement did to each submission, for the publishing authority (GET /api/submissions/{id}/audit).
CREATE TABLE submission_audit (
    submission_id        uuid        PRIMARY KEY,
    reporting_country    char(3)     NOT NULL,
    agreement_id         text        NOT NULL,
    agreement_version    integer     NOT NULL,
    batches              integer     NOT NULL,
    source_cells         integer     NOT NULL,
    generalized          integer     NOT NULL,
    released             integer     NOT NULL,
    primary_suppressed   integer     NOT NULL,
    secondary_suppressed integer     NOT NULL,
    rounded              integer     NOT NULL,
    held                 integer     NOT NULL,
    breakdowns_withheld  integer     NOT NULL,
    personal_fields_removed integer  NOT NULL,
    quasi_identifiers_generalized integer NOT NULL,
    distinct_persons     integer,
    released_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    FOREIGN KEY (agreement_id, agreement_version) REFERENCES agreement_versions
);
CREATE INDEX submission_audit_country ON submission_audit (reporting_country, released_at DESC);

-- Replaced by submission_batches and submission_audit: the agreement no longer applies batch by batch.
DROP TABLE anonymized_batches;
