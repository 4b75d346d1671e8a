-- Two indexes that no query of the service uses (the export reads by country and period, replays by held cell;
-- series are kept by Alerting): each made every COPY of a harmonized batch update two more b-trees.
DROP INDEX IF EXISTS harmonized_series;
DROP INDEX IF EXISTS harmonized_cell_version;
