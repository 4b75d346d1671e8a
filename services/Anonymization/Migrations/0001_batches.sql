-- What the agreement did to each batch: operators watch suppressed cells and removed personal fields here.
CREATE TABLE anonymized_batches (
    message_id        uuid        PRIMARY KEY,
    submission_id     uuid        NOT NULL,
    reporting_country char(3)     NOT NULL,
    batch_number      integer     NOT NULL,
    observations      integer     NOT NULL,
    suppressed_cells  integer     NOT NULL,
    personal_fields_removed integer NOT NULL,
    processed_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX anonymized_batches_submission ON anonymized_batches (submission_id);
