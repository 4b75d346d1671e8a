-- A held cell keeps the identity, version and deletion it arrived with, so that a replay carries them on and
-- Alerting still applies only the newest version of each cell.
ALTER TABLE held_cells ADD COLUMN cell_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
ALTER TABLE held_cells ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE held_cells ADD COLUMN deleted boolean NOT NULL DEFAULT false;
