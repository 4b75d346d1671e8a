-- National cells keep the version Ingestion gave them and whether the publisher deleted them: a cell is replaced
-- only by a newer version (a submission released late never undoes a newer one), and a deleted cell stays as a
-- tombstone so that an older copy cannot bring it back.
ALTER TABLE pending_cells ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE pending_cells ADD COLUMN deleted boolean NOT NULL DEFAULT false;
ALTER TABLE national_cells ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE national_cells ADD COLUMN deleted boolean NOT NULL DEFAULT false;

-- Every cell ever published, with the release that last published (or deleted) it: a cell that a later release
-- of its group no longer has (its national cells were deleted) is published as deleted, so it stops counting
-- downstream. Releases of one country are numbered in the order they commit.
CREATE TABLE published_cells (
    reporting_country char(3) NOT NULL,
    period            date    NOT NULL,
    border_point      text    NOT NULL,
    nationality       text    NOT NULL,
    category          text    NOT NULL,
    sex               text    NOT NULL,
    age_group         text    NOT NULL,
    version           bigint  NOT NULL,
    deleted           boolean NOT NULL,
    PRIMARY KEY (reporting_country, period, border_point, nationality, category, sex, age_group)
);
CREATE SEQUENCE release_version;
ALTER TABLE submission_audit ADD COLUMN release_version bigint;
ALTER TABLE submission_audit ADD COLUMN deleted integer NOT NULL DEFAULT 0;
