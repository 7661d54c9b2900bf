-- The gateway's copy of the messaging tables every stateful service keeps in its own schema.
-- Runs on PostgreSQL and on H2 in PostgreSQL mode. Timestamps are spelled TIMESTAMP WITH TIME ZONE: H2 does not
-- know the TIMESTAMPTZ shorthand.

-- Consumer de-duplication: one row per Kafka message id this service has processed. A consumer inserts the row in the
-- same transaction as the effect of the message, so a redelivered message finds the row and is skipped.
CREATE TABLE processed_message (
    message_id   VARCHAR(64)              PRIMARY KEY,
    topic        VARCHAR(200)             NOT NULL,
    processed_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

-- Transactional outbox: events are written here in the transaction that changes the state they describe, and a relay
-- publishes unpublished rows to Kafka in id order, then stamps published_at.
CREATE TABLE outbox_event (
    id           BIGSERIAL                PRIMARY KEY,
    message_id   VARCHAR(64)              NOT NULL UNIQUE,
    topic        VARCHAR(200)             NOT NULL,
    record_key   VARCHAR(200)             NOT NULL,
    message_type VARCHAR(100)             NOT NULL,
    payload      TEXT                     NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    published_at TIMESTAMP WITH TIME ZONE
);
