-- The verdict of the detection on every judged week of a series (what the analyst API plots behind an
-- alert, and what the alert lifecycle is computed from). A week that is not judged says why.
CREATE TABLE judgements (
    series_key  text    NOT NULL,
    period      date    NOT NULL,
    observed    bigint,
    expected    double precision,
    upper_bound double precision,
    algorithm   text,
    surge       boolean NOT NULL,
    probability double precision,
    reason      text,
    judged_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (series_key, period)
);

-- An alert is now a surge (from its first week to its closing), not a week: period is its first week and
-- observed, expected, upper_bound and algorithm are those of its peak week. Its state and every revision are kept.
ALTER TABLE alerts DROP CONSTRAINT alerts_series_key_period_algorithm_key;
ALTER TABLE alerts ADD COLUMN state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'closed', 'withdrawn'));
ALTER TABLE alerts ADD COLUMN revision integer NOT NULL DEFAULT 1;
ALTER TABLE alerts ADD COLUMN last_surge_week date;
ALTER TABLE alerts ADD COLUMN closed_week date;
ALTER TABLE alerts ADD COLUMN weeks_above integer NOT NULL DEFAULT 1;
ALTER TABLE alerts ADD COLUMN peak_week date;
ALTER TABLE alerts ADD COLUMN severity text;
ALTER TABLE alerts ADD COLUMN certainty text;
ALTER TABLE alerts ADD COLUMN probability double precision;
ALTER TABLE alerts ADD COLUMN updated_at timestamptz NOT NULL DEFAULT clock_timestamp();
UPDATE alerts SET last_surge_week = period, peak_week = period, state = CASE WHEN withdrawn_at IS NULL THEN 'active' ELSE 'withdrawn' END;
ALTER TABLE alerts ALTER COLUMN last_surge_week SET NOT NULL;
ALTER TABLE alerts ALTER COLUMN peak_week SET NOT NULL;
CREATE INDEX alerts_series ON alerts (series_key, period);

-- Every revision of an alert as it was sent (CAP: Alert, Update, Cancel), each referencing the one before.
CREATE TABLE alert_revisions (
    alert_id            uuid    NOT NULL REFERENCES alerts (alert_id),
    revision            integer NOT NULL,
    references_revision integer,
    msg_type            text    NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel')),
    state               text    NOT NULL,
    start_week          date    NOT NULL,
    last_surge_week     date    NOT NULL,
    closed_week         date,
    weeks_above         integer NOT NULL,
    peak_week           date    NOT NULL,
    observed            bigint  NOT NULL,
    expected            double precision NOT NULL,
    upper_bound         double precision NOT NULL,
    algorithm           text    NOT NULL,
    severity            text    NOT NULL,
    certainty           text    NOT NULL,
    probability         double precision,
    reason              text,
    sent_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (alert_id, revision)
);

-- The dimensions of a cell's series, as columns, so that an alert's breakdown can show the series above it
-- (border point, reporting country, nationality across the region) without taking the key apart. Cells
-- stored before this migration have none and are left out of those totals.
ALTER TABLE cells ADD COLUMN reporting_country char(3);
ALTER TABLE cells ADD COLUMN border_point text;
ALTER TABLE cells ADD COLUMN nationality text;
ALTER TABLE cells ADD COLUMN category text;
CREATE INDEX cells_country_period ON cells (reporting_country, period) WHERE sex IN ('_T', '') AND age_group IN ('_T', '');
CREATE INDEX cells_nationality_period ON cells (nationality, period) WHERE sex IN ('_T', '') AND age_group IN ('_T', '');
