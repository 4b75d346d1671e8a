-- Weeks of the series that sum many border points (a country total, a nationality across the region) waiting to be
-- judged again. Every batch of a country changes them: a batch adds its changes to their weekly totals and marks the
-- weeks here, and one judging pass (WideSeriesJudging) judges each marked week once for all the batches that marked
-- it in the meantime, instead of once per batch, and judges a submission's changes together rather than batch by
-- batch.
CREATE TABLE wide_judging_due (
    level             text        NOT NULL,
    reporting_country text        NOT NULL,
    border_point      text        NOT NULL,
    nationality       text        NOT NULL,
    category          text        NOT NULL,
    period            date        NOT NULL,
    marked_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (level, reporting_country, border_point, nationality, category, period)
);
