-- No query reads cells by their joined series key any more (series are read from series_weeks, breakdowns by
-- their parts); the index cost every stored cell a write of its longest column.
DROP INDEX IF EXISTS cells_series_period;
