-- A cell is now identified as Ingestion published it (cell_id), so two national cells that map to one
-- harmonized cell (two spellings of a nationality) are two rows, summed in the series, never one overwriting
-- the other. A value replaces the stored one only when its version is newer; a deleted cell stays as a
-- tombstone with its version, so that an older message arriving late cannot bring it back.
ALTER TABLE cells DROP CONSTRAINT cells_pkey;
ALTER TABLE cells ADD COLUMN cell_id uuid;
ALTER TABLE cells ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE cells ADD COLUMN deleted boolean NOT NULL DEFAULT false;
-- Cells stored before identities existed get the identity Alerting derives for messages without one.
UPDATE cells SET cell_id = md5(series_key || chr(31) || period::text || chr(31) || national_category || chr(31) || sex || chr(31) || age_group)::uuid;
ALTER TABLE cells ALTER COLUMN cell_id SET NOT NULL;
ALTER TABLE cells ADD PRIMARY KEY (cell_id);
CREATE INDEX cells_series_period ON cells (series_key, period);

-- An alert whose surge is no longer in the data (a deleted or lowered count) is withdrawn, with the reason.
ALTER TABLE alerts ADD COLUMN withdrawn_at timestamptz;
ALTER TABLE alerts ADD COLUMN withdrawn_reason text;
