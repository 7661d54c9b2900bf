-- Threads, their participants and their envelopes. Runs on PostgreSQL and on H2 in PostgreSQL mode.

-- One row per thread. The row is also the thread's write lock: ingest locks it FOR UPDATE for the whole decision, so
-- two consumers that briefly share a partition still decide one thread's writes one after the other.
-- created_at is the first envelope's created_at as sent (signed text, kept verbatim). updated_at is node-made, always
-- in the fixed-width millisecond UTC form, so ordering by the text orders by time.
-- event_seq_counter is the last event_seq handed out; 0 only while the creating transaction is still open.
CREATE TABLE thread (
    id                VARCHAR(64)  PRIMARY KEY,
    root_envelope_id  VARCHAR(64),
    subject           TEXT,
    state             VARCHAR(20)  NOT NULL,
    created_at        VARCHAR(64)  NOT NULL,
    updated_at        VARCHAR(30)  NOT NULL,
    labels            TEXT         NOT NULL,
    cap_epoch         BIGINT       NOT NULL,
    event_seq_counter BIGINT       NOT NULL
);

CREATE INDEX thread_updated_at ON thread (updated_at, id);

-- Participants in the order they joined (ordinal), as the thread lists them.
CREATE TABLE thread_participant (
    thread_id VARCHAR(64)  NOT NULL,
    identity  VARCHAR(512) NOT NULL,
    ordinal   INTEGER      NOT NULL,
    role      VARCHAR(40)  NOT NULL,
    joined_at VARCHAR(64)  NOT NULL,
    left_at   VARCHAR(64),
    PRIMARY KEY (thread_id, identity)
);

CREATE INDEX thread_participant_identity ON thread_participant (identity, thread_id);

-- Every stored envelope. json is the envelope exactly as the node returns it (the sender's JSON plus meta), stored as
-- text so its bytes never change. created_at is as sent; created_at_ms is the same instant for ordering.
CREATE TABLE envelope (
    id            VARCHAR(64)  PRIMARY KEY,
    thread_id     VARCHAR(64)  NOT NULL,
    parent_id     VARCHAR(64),
    type          VARCHAR(200) NOT NULL,
    sender        VARCHAR(512) NOT NULL,
    created_at    VARCHAR(64)  NOT NULL,
    created_at_ms BIGINT       NOT NULL,
    received_at   VARCHAR(30)  NOT NULL,
    event_seq     BIGINT       NOT NULL,
    json          TEXT         NOT NULL,
    CONSTRAINT envelope_thread_event_seq UNIQUE (thread_id, event_seq)
);

-- The cycle check asks whether any envelope of the thread names a given envelope as its parent.
CREATE INDEX envelope_thread_parent ON envelope (thread_id, parent_id);
