-- Identities, their signing keys, and the proof-of-key authentication state (challenges and bearer tokens).
-- Runs on PostgreSQL and on H2 in PostgreSQL mode. Every gateway replica reads and writes these tables, so nothing
-- about a session lives in one replica's memory.

-- An identity registered on this node. The id is the identity URI, compared as an exact string.
CREATE TABLE registered_identity (
    id            VARCHAR(400)             PRIMARY KEY,
    identity_type VARCHAR(16)              NOT NULL,
    display_name  TEXT                     NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The signing keys bound to an identity. Key ids are unique per identity only: two identities may both call a key
-- "k1". A revoked key keeps its row, so its id can never be rebound to other key material.
CREATE TABLE identity_key (
    identity_id    VARCHAR(400)             NOT NULL REFERENCES registered_identity (id),
    key_id         VARCHAR(200)             NOT NULL,
    list_position  INTEGER                  NOT NULL,
    public_key_pem TEXT                     NOT NULL,
    status         VARCHAR(16)              NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at     TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (identity_id, key_id)
);

-- A nonce handed out for one identity and key. It is consumed by a conditional update of used_at, so one challenge
-- yields at most one token pair even when several replicas receive the signed nonce at once.
CREATE TABLE auth_challenge (
    id          VARCHAR(40)              PRIMARY KEY,
    identity_id VARCHAR(400)             NOT NULL,
    key_id      VARCHAR(200)             NOT NULL,
    nonce       VARCHAR(40)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX auth_challenge_expires_at ON auth_challenge (expires_at);

-- Bearer tokens are stored as the lowercase hex SHA-256 of the token text: a copy of the table grants no access.
CREATE TABLE access_token (
    token_hash  CHAR(64)                 PRIMARY KEY,
    identity_id VARCHAR(400)             NOT NULL,
    key_id      VARCHAR(200)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX access_token_expires_at ON access_token (expires_at);

CREATE TABLE refresh_token (
    token_hash  CHAR(64)                 PRIMARY KEY,
    identity_id VARCHAR(400)             NOT NULL,
    key_id      VARCHAR(200)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX refresh_token_expires_at ON refresh_token (expires_at);
