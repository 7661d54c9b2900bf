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
-- publishes unpublished rows to Kafka in id order, then stamps published_at. record_partition, when set, is the
-- partition the record must reach (a reply goes to the partition its requester reads); otherwise the key decides.
CREATE TABLE outbox_event (
    id               BIGSERIAL                PRIMARY KEY,
    message_id       VARCHAR(64)              NOT NULL UNIQUE,
    topic            VARCHAR(200)             NOT NULL,
    record_key       VARCHAR(200)             NOT NULL,
    record_partition INTEGER,
    message_type     VARCHAR(100)             NOT NULL,
    payload          TEXT                     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    published_at     TIMESTAMP WITH TIME ZONE
);

-- The relay finds waiting rows, and prunes published ones past their retention, through this index.
CREATE INDEX outbox_event_published_at ON outbox_event (published_at);

-- One row, locked FOR UPDATE by the relay for the length of each publishing pass: with several replicas only one
-- publishes at a time, so the events of one key never overtake each other.
CREATE TABLE outbox_relay_lock (
    id INTEGER PRIMARY KEY
);
INSERT INTO outbox_relay_lock (id) VALUES (1);
