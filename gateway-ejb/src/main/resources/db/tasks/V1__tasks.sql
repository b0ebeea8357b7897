-- Retrieval tasks (docs/jobs.md): the row is the truth, the JMS queue only wakes the workers. One script for
-- PostgreSQL and H2 (only types both have with the same meaning; VARCHAR without a length: unbounded on PostgreSQL,
-- 1 000 000 characters on H2).

CREATE TABLE task (
    task_id VARCHAR(64) PRIMARY KEY,
    correlation_id VARCHAR(64),
    batch_id VARCHAR(64),
    priority INTEGER NOT NULL,
    source_aet VARCHAR(64),
    destination_aet VARCHAR(64),
    -- The request as TaskJson writes it (the body as sent for a refused request).
    request_json VARCHAR NOT NULL,
    state VARCHAR(24) NOT NULL,
    method VARCHAR(16),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- When it may run (notBefore, or the retry time).
    scheduled_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- When a message for it was last sent: the sweeper sends another only if this one may be lost.
    queued_at TIMESTAMP WITH TIME ZONE,
    started_at TIMESTAMP WITH TIME ZONE,
    ended_at TIMESTAMP WITH TIME ZONE,
    attempts INTEGER NOT NULL,
    remaining INTEGER,
    completed INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    warning INTEGER NOT NULL,
    reason VARCHAR(1024),
    -- The worker running it: <jboss.node.name>/<boot id>, and when it last said it still does.
    owner VARCHAR(200),
    heartbeat_at TIMESTAMP WITH TIME ZONE,
    cancel_requested BOOLEAN NOT NULL
);
CREATE INDEX task_state_scheduled ON task (state, scheduled_at);
CREATE INDEX task_batch ON task (batch_id);
CREATE INDEX task_created ON task (created_at);

-- Every instance a task delivered or failed to deliver, once (the primary key): the counts are updated in the same
-- transaction, and a later attempt skips what was delivered.
CREATE TABLE task_instance (
    task_id VARCHAR(64) NOT NULL REFERENCES task (task_id) ON DELETE CASCADE,
    sop_instance_uid VARCHAR(64) NOT NULL,
    -- DELIVERED, WARNING or FAILED
    outcome VARCHAR(16) NOT NULL,
    reason VARCHAR(1024),
    PRIMARY KEY (task_id, sop_instance_uid)
);
