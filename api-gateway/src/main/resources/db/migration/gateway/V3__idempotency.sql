-- Idempotency records: the first answer to a request sent with an Idempotency-Key, shared by every gateway replica.
-- Runs on PostgreSQL and on H2 in PostgreSQL mode.
--
-- A row is claimed as 'pending' (insert; the unique constraint decides which of two racing requests owns the key) and
-- becomes 'complete' with the response once the request succeeded, or once a late command result arrives for its
-- correlation id. A request that fails deletes its claim, so a retry runs it again.
CREATE TABLE idempotency_record (
    id              BIGSERIAL                PRIMARY KEY,
    -- actor:<identity>:<METHOD>:<path>; bounded so the unique index stays within PostgreSQL's index entry size.
    scope           VARCHAR(1024)            NOT NULL,
    idempotency_key VARCHAR(200)             NOT NULL,
    -- Lower-case hex SHA-256 of the method, the path and the raw request body.
    request_hash    VARCHAR(64)              NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    -- The command the request is waiting for, when it published one; a late result completes the row through it.
    correlation_id  VARCHAR(64),
    response_status INTEGER,
    response_body   TEXT,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT idempotency_record_scope_key UNIQUE (scope, idempotency_key),
    CONSTRAINT idempotency_record_status CHECK (status IN ('pending', 'complete'))
);

CREATE INDEX idempotency_record_correlation ON idempotency_record (correlation_id);
CREATE INDEX idempotency_record_expiry ON idempotency_record (expires_at);
CREATE INDEX idempotency_record_age ON idempotency_record (created_at, id);
