-- The tables a service with an outbox has: the messaging tables of every stateful service, and outbox_item.
CREATE TABLE processed_message (
    message_id   VARCHAR(64)              PRIMARY KEY,
    topic        VARCHAR(200)             NOT NULL,
    processed_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

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
CREATE INDEX outbox_event_published_at ON outbox_event (published_at);
CREATE TABLE outbox_relay_lock (
    id INTEGER PRIMARY KEY
);
INSERT INTO outbox_relay_lock (id) VALUES (1);

CREATE TABLE outbox_item (
    id               VARCHAR(64)              PRIMARY KEY,
    kind             VARCHAR(32)              NOT NULL,
    destination      VARCHAR(2048)            NOT NULL,
    fields           TEXT                     NOT NULL,
    status           VARCHAR(16)              NOT NULL,
    attempts         INTEGER                  NOT NULL,
    max_attempts     INTEGER                  NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE,
    expires_at       TIMESTAMP WITH TIME ZONE,
    lease_owner      VARCHAR(100),
    leased_until     TIMESTAMP WITH TIME ZONE,
    last_error       TEXT,
    last_http_status INTEGER,
    result           TEXT,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX outbox_item_due ON outbox_item (kind, status, next_attempt_at);
