-- What each later stage reported of each batch of a submission (SubmissionProgressed, or a Fault when the
-- batch failed there for good and went to that stage's error queue).
CREATE TABLE submission_progress (
    submission_id uuid        NOT NULL,
    stage         text        NOT NULL,
    batch_number  integer     NOT NULL,
    observations  integer     NOT NULL,
    failed        boolean     NOT NULL,
    reason        text,
    reported_at   timestamptz NOT NULL,
    PRIMARY KEY (submission_id, stage, batch_number)
);
