-- A cell the publisher marked not for publication (SDMX CONF_STATUS C, N or D): suppressed as a primary suppression
-- whatever its count. The newest version of a national cell decides, like its count.
ALTER TABLE pending_cells ADD COLUMN confidential boolean NOT NULL DEFAULT false;
ALTER TABLE national_cells ADD COLUMN confidential boolean NOT NULL DEFAULT false;
