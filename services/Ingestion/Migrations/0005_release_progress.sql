-- How many batches each stage expects: Ingestion's for anonymization; for the stages after it, the messages of
-- the submission's release (Anonymization reports the release itself as the stage 'released').
ALTER TABLE submission_progress ADD COLUMN batch_count integer;
