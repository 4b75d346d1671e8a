-- What a release discloses of a suppressed cell's count (at least, at most), kept with a held cell so that a replay sends it on.
ALTER TABLE held_cells ADD COLUMN lower_bound bigint;
ALTER TABLE held_cells ADD COLUMN upper_bound bigint;
