-- Each accepted submission takes the next version; every cell it publishes carries it downstream, where a
-- cell's value is replaced only by a newer version. Cells are identified as published (cell_id).
CREATE SEQUENCE submission_version;
ALTER TABLE submissions ADD COLUMN version bigint;
ALTER TABLE observations ADD COLUMN cell_id uuid;
ALTER TABLE observations ADD COLUMN deleted boolean NOT NULL DEFAULT false;
