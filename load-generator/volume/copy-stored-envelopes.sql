-- Grows the stored volume of a node on PostgreSQL quickly, for the volume scenario of docs/benchmarks.md: copies every
-- envelope written through the API (with its thread, participants, readers, search row, mailbox labels and the
-- processed-command rows) under new ids, once per copy number from :first to :last. Not for a node that serves anyone:
-- the copies' JSON still names the originals' ids, and the audit chain is not extended for them.
--
--   psql -h 127.0.0.1 -U postgres -d loom -v first=1 -v last=10 -f load-generator/volume/copy-stored-envelopes.sql
--
-- Copies carry the suffix '~c<n>' on every id and identity, so the copied data has the shape of the original (the
-- same number of threads per identity, of envelopes per thread) and never collides with it or with later API writes.
-- Only rows without '~' are copied: the originals.
\set ON_ERROR_STOP on
SET search_path = envelope;
BEGIN;
CREATE TEMPORARY TABLE copy_number ON COMMIT DROP AS
    SELECT n, '~c' || n AS suffix FROM generate_series(:first, :last) AS n;

INSERT INTO thread (id, root_envelope_id, subject, state, created_at, updated_at, labels, cap_epoch, event_seq_counter)
SELECT t.id || c.suffix, t.root_envelope_id || c.suffix, t.subject, t.state, t.created_at, t.updated_at, t.labels,
       t.cap_epoch, t.event_seq_counter
FROM thread t CROSS JOIN copy_number c WHERE t.id NOT LIKE '%~%';

INSERT INTO thread_participant (thread_id, identity, ordinal, role, joined_at, left_at)
SELECT p.thread_id || c.suffix, p.identity || c.suffix, p.ordinal, p.role, p.joined_at, p.left_at
FROM thread_participant p CROSS JOIN copy_number c WHERE p.thread_id NOT LIKE '%~%';

INSERT INTO envelope (id, thread_id, parent_id, type, sender, created_at, created_at_ms, received_at, event_seq, json)
SELECT e.id || c.suffix, e.thread_id || c.suffix, e.parent_id || c.suffix, e.type, e.sender || c.suffix, e.created_at,
       e.created_at_ms, e.received_at, e.event_seq, e.json
FROM envelope e CROSS JOIN copy_number c WHERE e.id NOT LIKE '%~%';

INSERT INTO envelope_reader (envelope_id, thread_id, identity)
SELECT r.envelope_id || c.suffix, r.thread_id || c.suffix, r.identity || c.suffix
FROM envelope_reader r CROSS JOIN copy_number c WHERE r.envelope_id NOT LIKE '%~%';

INSERT INTO envelope_search (envelope_id, haystack, intent, excerpt)
SELECT s.envelope_id || c.suffix, s.haystack, s.intent, s.excerpt
FROM envelope_search s CROSS JOIN copy_number c WHERE s.envelope_id NOT LIKE '%~%';

INSERT INTO mailbox_label (identity, thread_id, label)
SELECT m.identity || c.suffix, m.thread_id || c.suffix, m.label
FROM mailbox_label m CROSS JOIN copy_number c WHERE m.thread_id NOT LIKE '%~%';

INSERT INTO processed_message (message_id, topic, processed_at)
SELECT p.message_id || c.suffix, p.topic, p.processed_at
FROM processed_message p CROSS JOIN copy_number c WHERE p.message_id NOT LIKE '%~%';
COMMIT;

-- Settle before measuring: the insert-triggered autovacuum and the checkpoint of the copied pages would otherwise
-- run during the next measured run and be charged to it.
VACUUM ANALYZE;
CHECKPOINT;
SELECT count(*) AS stored_envelopes FROM envelope;
