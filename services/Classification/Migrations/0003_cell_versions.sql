-- Each harmonized row keeps the identity and version Ingestion gave its cell, and whether it deletes the cell:
-- the rows of a submission are a log; the current value of a cell is the row with its highest version.
ALTER TABLE harmonized_observations ADD COLUMN cell_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
ALTER TABLE harmonized_observations ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE harmonized_observations ADD COLUMN deleted boolean NOT NULL DEFAULT false;
CREATE INDEX harmonized_cell_version ON harmonized_observations (cell_id, version DESC);
