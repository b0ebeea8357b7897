-- The UIDs de-identifying AEs hand out (docs/configuration.md, "De-identifying AEs"): pseudonym -> original, per AE,
-- so that a client naming a pseudonym (/studies/{uid}, StudyInstanceUID=...) reaches the source's original. Written
-- when a UID is handed out (an insert that keeps the first row), read when a client names one. refused_reason: why an
-- instance was left out (burned-in annotation), so that its frames and rendered images answer 409 rather than 404.
-- The same SQL runs on H2 2.2 and PostgreSQL 15.
CREATE TABLE deid_uid (
    aet VARCHAR(16) NOT NULL,
    pseudonym_uid VARCHAR(64) NOT NULL,
    original_uid VARCHAR(64) NOT NULL,
    refused_reason VARCHAR(256),
    PRIMARY KEY (aet, pseudonym_uid)
);
