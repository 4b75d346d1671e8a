-- Series above the finest level (a border point, a country total, a nationality across the region) sum cells that a
-- release spreads over several messages. Judged after only some of them, a week can look like a surge that the rest
-- of the release then removes: an alert raised, delivered, and withdrawn. Each evaluated message of a release is
-- recorded here, and the judging pass waits until every message of the releases that marked a week is in.
CREATE TABLE release_batches (
    submission_id uuid        NOT NULL,
    batch_number  integer     NOT NULL,
    batch_count   integer     NOT NULL,
    evaluated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (submission_id, batch_number)
);
CREATE INDEX release_batches_evaluated ON release_batches (evaluated_at);

-- A mark names the release that made it (the nil id for marks from before).
ALTER TABLE wide_judging_due ADD COLUMN submission_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
ALTER TABLE wide_judging_due DROP CONSTRAINT wide_judging_due_pkey;
ALTER TABLE wide_judging_due ADD PRIMARY KEY (level, reporting_country, border_point, nationality, category, period, submission_id);
CREATE INDEX wide_judging_due_submission ON wide_judging_due (submission_id);
