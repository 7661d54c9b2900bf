-- Webhook subscriptions (admin-managed) and the webhook outbox. Runs on PostgreSQL and on H2 in PostgreSQL mode.

-- events is a JSON array of event types ("*" for all), kept as text in the order given.
CREATE TABLE webhook (
    id               VARCHAR(64)              PRIMARY KEY,
    url              VARCHAR(2048)            NOT NULL,
    events           TEXT                     NOT NULL,
    active           BOOLEAN                  NOT NULL,
    max_attempts     INTEGER                  NOT NULL,
    timeout_ms       INTEGER                  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_delivery_at TIMESTAMP WITH TIME ZONE,
    last_error       TEXT
);

-- The shared outbox component's table (service-support org.loom.service.outbox): one row per delivery, with its
-- delivery state. Claims lock rows ordered by id and stamp a lease, so several replicas work it safely.
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

-- Dead letters of the other services' outboxes (federation, email), read from their dead-letter topics, so the
-- dead-letter admin view lists every kind. A requeue elsewhere is learnt from the owning service, not here.
CREATE TABLE dead_letter_view (
    item_id    VARCHAR(64)              PRIMARY KEY,
    kind       VARCHAR(32)              NOT NULL,
    reason     TEXT                     NOT NULL,
    attempts   INTEGER                  NOT NULL,
    item       TEXT                     NOT NULL,
    failed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
