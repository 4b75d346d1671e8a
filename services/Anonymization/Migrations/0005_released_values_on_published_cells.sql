-- The values each cell was released with live beside its publication (version, deletion): every release read and
-- upserted the same cells in two tables with the same key. A cell released before published_cells existed keeps
-- its values and stays out of what counts as published (deleted), as it was.
ALTER TABLE published_cells ADD COLUMN released_values bigint[] NOT NULL DEFAULT '{}';
INSERT INTO published_cells (reporting_country, period, border_point, nationality, category, sex, age_group, version, deleted, released_values)
SELECT reporting_country, period, border_point, nationality, category, sex, age_group, 0, true, released_values FROM released_cells
ON CONFLICT (reporting_country, period, border_point, nationality, category, sex, age_group)
DO UPDATE SET released_values = excluded.released_values;
DROP TABLE released_cells;
