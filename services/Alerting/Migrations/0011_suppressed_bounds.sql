-- What each release discloses of a suppressed cell's count (at least lower_bound, at most upper_bound; null above: unbounded),
-- and its sums in the kept weekly totals, so that a week with suppressed cells is an interval rather than unknown:
-- total + low .. total + high, unbounded above while unbounded > 0. Cells stored before carry no bounds: 0 or more.
ALTER TABLE cells ADD COLUMN lower_bound bigint;
ALTER TABLE cells ADD COLUMN upper_bound bigint;
ALTER TABLE series_weeks ADD COLUMN low bigint NOT NULL DEFAULT 0;
ALTER TABLE series_weeks ADD COLUMN high bigint NOT NULL DEFAULT 0;
ALTER TABLE series_weeks ADD COLUMN unbounded integer NOT NULL DEFAULT 0;
UPDATE series_weeks SET unbounded = unknown WHERE unknown > 0;

-- The weeks each reporting country published anything in. National files leave out rows of zero: a series that lacks a
-- week its country reported had nothing in it (a zero in its history), while a week nobody reported is missing.
CREATE TABLE reported_weeks (
    reporting_country text NOT NULL,
    period            date NOT NULL,
    PRIMARY KEY (reporting_country, period)
);
INSERT INTO reported_weeks
SELECT DISTINCT rtrim(reporting_country), period FROM cells WHERE reporting_country IS NOT NULL AND NOT deleted;

-- A mark that waits for a series across the region to settle before its alerts follow its verdicts (its weeks are judged).
ALTER TABLE wide_judging_due ADD COLUMN confirm boolean NOT NULL DEFAULT false;
