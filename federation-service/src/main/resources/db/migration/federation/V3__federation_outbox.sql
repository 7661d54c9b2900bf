-- The federation outbox: outbox_item is the shared outbox component's table (service-support org.loom.service.outbox),
-- with its columns as that component requires them.
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

-- The envelopes of each federation outbox item, as they are sent (stored JSON including this node's meta), in order.
-- Kept apart from outbox_item.fields so listings stay small.
CREATE TABLE federation_outbox_envelope (
    outbox_id     VARCHAR(64)  NOT NULL,
    position      INTEGER      NOT NULL,
    envelope_id   VARCHAR(64)  NOT NULL,
    envelope_json TEXT         NOT NULL,
    PRIMARY KEY (outbox_id, position)
);
