-- The latest count of every harmonized cell. A later submission of the same cell replaces it (a revision).
CREATE TABLE cells (
    series_key        text    NOT NULL,
    period            date    NOT NULL,
    national_category text    NOT NULL,
    sex               text    NOT NULL,
    age_group         text    NOT NULL,
    count             bigint,
    submission_id     uuid    NOT NULL,
    line              integer NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (series_key, period, national_category, sex, age_group)
);

CREATE TABLE alerts (
    alert_id          uuid PRIMARY KEY,
    series_key        text        NOT NULL,
    reporting_country char(3)     NOT NULL,
    border_point      text        NOT NULL,
    nationality       char(3)     NOT NULL,
    category          text        NOT NULL,
    period            date        NOT NULL,
    observed          bigint      NOT NULL,
    expected          double precision NOT NULL,
    upper_bound       double precision NOT NULL,
    algorithm         text        NOT NULL,
    detected_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    trace_id          text,
    UNIQUE (series_key, period, algorithm)
);
CREATE INDEX alerts_detected ON alerts (detected_at DESC);
