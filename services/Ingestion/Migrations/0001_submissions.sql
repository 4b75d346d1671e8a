-- Every accepted submission, and its rows exactly as they were accepted (record-level fields excluded:
-- they travel only inside the outbox message to Anonymization, within the country).
CREATE TABLE submissions (
    submission_id     uuid        PRIMARY KEY,
    reporting_country char(3)     NOT NULL,
    format            text        NOT NULL,
    observation_count integer     NOT NULL,
    batch_count       integer     NOT NULL,
    accepted_at       timestamptz NOT NULL,
    trace_id          text
);

CREATE TABLE observations (
    submission_id uuid    NOT NULL REFERENCES submissions,
    line          integer NOT NULL,
    period        date    NOT NULL,
    border_point  text    NOT NULL,
    nationality   text    NOT NULL,
    category      text    NOT NULL,
    sex           text,
    age_group     text,
    count         bigint  NOT NULL,
    PRIMARY KEY (submission_id, line)
);
