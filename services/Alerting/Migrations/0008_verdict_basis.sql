-- What each verdict rests on besides its week's own count: the bound of each rule the judge tried, computed from the
-- weeks before (EarlyWarning.Detection's VerdictBasis, a few dozen bytes). A revised count of a week whose history
-- has not changed since is judged again from it, without reading or fitting the history. Null for verdicts from
-- before, and for weeks without a count: those are judged from their history.
ALTER TABLE judgements ADD COLUMN basis bytea;
ALTER TABLE judgements ALTER COLUMN basis SET STORAGE EXTERNAL;

-- Whole-week work (re-judging the current week of every series, the judging-speed measure) reads one week of every
-- series: week-major, where the primary key is series-major. The rows of a week are written together, so a block-range
-- index finds them in a few pages rather than one page per series. A BRIN index, not a B-tree on (level, period): it
-- costs next to nothing to keep, and the planner cannot mistake it for a way to look up one series' weeks (a B-tree on
-- (level, period) was, for the batches' history reads, and scanned every series of a level).
CREATE INDEX series_weeks_period ON series_weeks USING brin (period) WITH (autosummarize = on);
