-- The reindex (docs/architecture.md, "The S3 index"). A run writes its progress at least every 100 objects or 30
-- seconds: the heartbeat tells a live run from one whose node died (no progress for 5 minutes: it may be started
-- again), and run_id lets a run that was taken over see it and stop rather than overwrite its successor's counts.
ALTER TABLE s3_reindex ADD COLUMN heartbeat TIMESTAMP WITH TIME ZONE;
ALTER TABLE s3_reindex ADD COLUMN run_id VARCHAR(36);

-- The reindex asks, for each page of 1000 listed objects, which of their keys the index holds with which ETag.
CREATE INDEX s3_instance_key ON s3_instance (aet, object_key);
