-- Audience, mailbox labels, search and the audit chain. Runs on PostgreSQL and on H2 in PostgreSQL mode.

-- The readers of an envelope whose audience is restricted (mode recipients or custom, and every bcc copy). An
-- envelope without rows here is readable by its thread's participants. thread_id is repeated so "which threads can
-- this identity read something of" needs no join.
CREATE TABLE envelope_reader (
    envelope_id VARCHAR(64)  NOT NULL,
    thread_id   VARCHAR(64)  NOT NULL,
    identity    VARCHAR(512) NOT NULL,
    PRIMARY KEY (envelope_id, identity)
);

CREATE INDEX envelope_reader_identity ON envelope_reader (identity, thread_id);

-- The sender's own signed form of an envelope that was sent with Bcc recipients. The envelope table holds the visible
-- form (Bcc entries removed) that everyone else reads; the sender reads this one.
CREATE TABLE envelope_original (
    envelope_id VARCHAR(64) PRIMARY KEY,
    json        TEXT        NOT NULL
);

-- Per-identity mailbox labels (sys.inbox, sys.sent, sys.archive, ...) on threads. Unlike the thread's own labels
-- (thread.update), these belong to one identity's view of the thread.
CREATE TABLE mailbox_label (
    identity  VARCHAR(512) NOT NULL,
    thread_id VARCHAR(64)  NOT NULL,
    label     VARCHAR(200) NOT NULL,
    PRIMARY KEY (identity, thread_id, label)
);

CREATE INDEX mailbox_label_by_label ON mailbox_label (identity, label, thread_id);

-- What search matches an envelope on: haystack is the lower-cased text of content.human.text (empty when encrypted),
-- the intent, the parameters, the type, the sender, the openly named recipients and the thread id. intent and excerpt
-- are what a result shows.
CREATE TABLE envelope_search (
    envelope_id VARCHAR(64)  PRIMARY KEY,
    haystack    TEXT         NOT NULL,
    intent      VARCHAR(200),
    excerpt     TEXT
);

-- The audit hash chain, one row per link in chain order. hashed_text is exactly the text whose SHA-256 is hash, kept
-- as text (not a JSON type) so the bytes never change; prev_hash repeats the link for indexing and verification.
CREATE TABLE audit_entry (
    seq         BIGINT       PRIMARY KEY,
    event_id    VARCHAR(64)  NOT NULL UNIQUE,
    service     VARCHAR(100) NOT NULL,
    action      VARCHAR(200) NOT NULL,
    hashed_text TEXT         NOT NULL,
    hash        VARCHAR(64)  NOT NULL,
    prev_hash   VARCHAR(64)
);

-- The identities an audit entry concerns (every identity its payload names): a caller who is not an administrator
-- lists only the entries that concern it.
CREATE TABLE audit_subject (
    seq      BIGINT       NOT NULL,
    identity VARCHAR(512) NOT NULL,
    PRIMARY KEY (seq, identity)
);

CREATE INDEX audit_subject_identity ON audit_subject (identity, seq);

-- The chain's head: the last link's sequence number and hash. Appending locks this one row FOR UPDATE, so even two
-- consumers briefly sharing the audit partition append one after the other.
CREATE TABLE audit_chain_head (
    id   INTEGER     PRIMARY KEY,
    seq  BIGINT      NOT NULL,
    hash VARCHAR(64)
);
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, NULL);
