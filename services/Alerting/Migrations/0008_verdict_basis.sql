-- What each verdict rests on besides its week's own count: the bound of each rule the judge tried, computed from the
-- weeks before (EarlyWarning.Detection's VerdictBasis, a few dozen bytes). A revised count of a week whose history
-- has not changed since is judged again from it, without reading or fitting the history. Null for verdicts from
-- before, and for weeks without a count: those are judged from their history.
ALTER TABLE judgements ADD COLUMN basis bytea;
ALTER TABLE judgements ALTER COLUMN basis SET STORAGE EXTERNAL;

-- Whole-week work (re-judging the current week of every series, the judging-speed measure) reads one week of every
-- series: week-major, where the primary key is series-major. The rows of a week are written together, so they are read
-- from a few pages rather than one page per series.
CREATE INDEX series_weeks_level_period ON series_weeks (level, period);
