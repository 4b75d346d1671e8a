-- Batch bodies (hundreds of kilobytes of JSON) are compressed when stored out of line; PostgreSQL's default
-- (pglz) took more CPU than any other part of writing the outbox under load, LZ4 a fraction of it for a
-- similar size. Applies to rows written from now on.
ALTER TABLE outbox ALTER COLUMN body SET COMPRESSION lz4;
ALTER TABLE outbox ALTER COLUMN body_after_dispatch SET COMPRESSION lz4;
