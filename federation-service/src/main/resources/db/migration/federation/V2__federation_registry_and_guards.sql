-- Runs on PostgreSQL and on H2 in PostgreSQL mode.

-- The node registry. signing_keys is a JSON array of {key_id, public_key_pem} in registration order; key_id names the
-- active one. policy is not stored: it is derived from configured_policy and an unexpired auto_policy.
-- abuse_count/abuse_window_started_at are the failure window of the reputation rules, kept here so every replica
-- counts the same failures.
CREATE TABLE federation_node (
    node_id                   VARCHAR(255)             PRIMARY KEY,
    domain                    VARCHAR(255),
    key_id                    VARCHAR(255)             NOT NULL,
    signing_keys              TEXT                     NOT NULL,
    deliver_url               VARCHAR(2048),
    api_url                   VARCHAR(2048),
    configured_policy         VARCHAR(64)              NOT NULL,
    auto_policy               VARCHAR(64),
    auto_policy_until         TIMESTAMP WITH TIME ZONE,
    auto_policy_reason        VARCHAR(128),
    challenge_required_until  TIMESTAMP WITH TIME ZONE,
    challenge_reason          VARCHAR(128),
    reputation_score          INTEGER                  DEFAULT 0 NOT NULL,
    abuse_count               INTEGER                  DEFAULT 0 NOT NULL,
    abuse_window_started_at   TIMESTAMP WITH TIME ZONE,
    created_at                TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at                TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX federation_node_domain ON federation_node (domain);

-- Nonces of accepted signed requests, node-wide, kept past the freshness window so a replay inside it is caught by
-- every replica.
CREATE TABLE federation_nonce (
    nonce      VARCHAR(255)             PRIMARY KEY,
    node_id    VARCHAR(255)             NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX federation_nonce_expires_at ON federation_nonce (expires_at);

-- Fixed-window inbound rate counters, one row per scope (the global window or one node).
CREATE TABLE federation_rate_window (
    scope_key         VARCHAR(300)             PRIMARY KEY,
    window_started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    request_count     INTEGER                  NOT NULL
);

-- Single-use challenge tokens; one live token per node (issuing a new one consumes the old).
CREATE TABLE federation_challenge (
    token       VARCHAR(64)              PRIMARY KEY,
    node_id     VARCHAR(255)             NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    consumed_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX federation_challenge_node ON federation_challenge (node_id);

-- Identities of other nodes, as their home node serves them, used to verify envelopes they sign.
CREATE TABLE remote_identity (
    identity      VARCHAR(512)             PRIMARY KEY,
    node_id       VARCHAR(255)             NOT NULL,
    identity_type VARCHAR(32)              NOT NULL,
    signing_keys  TEXT                     NOT NULL,
    fetched_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
