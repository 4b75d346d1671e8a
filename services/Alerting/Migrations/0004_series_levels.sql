-- Series at several aggregation levels (Detection:Levels). Every stored value of a series is typed: its
-- level and its four parts as columns, '_T' (SDMX's total code) in a dimension the level sums away.

-- What Classification now derives for each cell, for alerts' breakdowns.
ALTER TABLE cells ADD COLUMN direction text;
ALTER TABLE cells ADD COLUMN vulnerability text;

-- Weekly totals of every watched series, kept up to date by each batch (the changes of its series-total
-- cells added in), so that judging a country total or a nationality across the region reads one row a week
-- rather than summing its cells again. A week exists while one of its series-total cells does (cells > 0);
-- its total is unknown while one of them is suppressed (unknown > 0). Built from the cells at start-up for a
-- level not built yet (series_levels); cells stored before migration 0003 have no parts and are not in it.
CREATE TABLE series_weeks (
    level             text    NOT NULL,
    reporting_country text    NOT NULL,
    border_point      text    NOT NULL,
    nationality       text    NOT NULL,
    category          text    NOT NULL,
    period            date    NOT NULL,
    total             bigint  NOT NULL,
    unknown           integer NOT NULL,
    cells             integer NOT NULL,
    PRIMARY KEY (level, reporting_country, border_point, nationality, category, period)
);

-- The levels whose series_weeks are complete; a level no longer watched is removed at start-up.
CREATE TABLE series_levels (
    level    text PRIMARY KEY,
    built_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Judgements and alerts say their level and parts. What was stored so far is of the finest level.
ALTER TABLE judgements ADD COLUMN level text NOT NULL DEFAULT 'country+borderPoint+nationality+category';
ALTER TABLE judgements ADD COLUMN reporting_country text;
ALTER TABLE judgements ADD COLUMN border_point text;
ALTER TABLE judgements ADD COLUMN nationality text;
ALTER TABLE judgements ADD COLUMN category text;
UPDATE judgements j SET reporting_country = c.reporting_country, border_point = c.border_point, nationality = c.nationality, category = c.category
FROM (SELECT DISTINCT ON (series_key) series_key, reporting_country, border_point, nationality, category
      FROM cells WHERE reporting_country IS NOT NULL ORDER BY series_key) c
WHERE j.series_key = c.series_key;
-- For an alert's breakdown (the series of the other levels in its weeks); one index, as every batch writes here.
CREATE INDEX judgements_level_period ON judgements (level, period);

ALTER TABLE alerts ADD COLUMN level text NOT NULL DEFAULT 'country+borderPoint+nationality+category';
-- '_T' for every reporting country, or every nationality, does not fit char(3).
ALTER TABLE alerts ALTER COLUMN reporting_country TYPE text;
ALTER TABLE alerts ALTER COLUMN nationality TYPE text;
