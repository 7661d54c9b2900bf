-- Capability tokens and delegations. Runs on PostgreSQL and on H2 in PostgreSQL mode.

-- One row per issued capability token. token is the signed portable form exactly as issued (text, so the signed bytes
-- never change); the other columns are what the node needs to find and judge it. revoked_at and spent_at are the
-- times as recorded (the revoking operation's created_at, or node time).
CREATE TABLE capability (
    id         VARCHAR(64)  PRIMARY KEY,
    thread_id  VARCHAR(64)  NOT NULL,
    issued_by  VARCHAR(512) NOT NULL,
    issued_to  VARCHAR(512) NOT NULL,
    created_at VARCHAR(64)  NOT NULL,
    token      TEXT         NOT NULL,
    revoked    BOOLEAN      NOT NULL,
    revoked_at VARCHAR(64),
    spent      BOOLEAN      NOT NULL,
    spent_at   VARCHAR(64)
);

CREATE INDEX capability_thread ON capability (thread_id, created_at, id);

-- One row per delegation recorded through POST /v1/delegations. link is the signed link exactly as verified.
-- Revocation also covers links the node never stored: a chain link is looked up here by its id.
CREATE TABLE delegation (
    id         VARCHAR(64)  PRIMARY KEY,
    delegator  VARCHAR(512) NOT NULL,
    delegate   VARCHAR(512) NOT NULL,
    created_at VARCHAR(64)  NOT NULL,
    link       TEXT         NOT NULL,
    revoked    BOOLEAN      NOT NULL,
    revoked_at VARCHAR(64)
);

CREATE INDEX delegation_delegator ON delegation (delegator, created_at, id);
CREATE INDEX delegation_delegate ON delegation (delegate, created_at, id);
