-- QIDO-RS matching in SQL (SearchFilter): a row whose matching columns cannot hold what the matcher sees (an
-- attribute with several values, a number no INTEGER holds) is irregular, and SQL predicates never drop it; the
-- core's matcher decides. Rows indexed before this version count as regular until they are stored or reindexed again.
ALTER TABLE s3_study ADD COLUMN irregular BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE s3_series ADD COLUMN irregular BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE s3_instance ADD COLUMN irregular BOOLEAN DEFAULT FALSE NOT NULL;

-- The columns searches narrow by that V1 left without an index. Plain B-trees, which both databases have: on
-- PostgreSQL they serve equality and ranges (a prefix LIKE uses them only in the C collation; at the sizes measured in
-- docs/benchmarks.md a scan of the study table is well under a millisecond, so no vendor-specific index is needed).
CREATE INDEX s3_study_time ON s3_study (aet, study_time);
CREATE INDEX s3_study_birth_date ON s3_study (aet, patient_birth_date);
CREATE INDEX s3_study_study_id ON s3_study (aet, study_id);
CREATE INDEX s3_series_number ON s3_series (study_pk, series_number);
