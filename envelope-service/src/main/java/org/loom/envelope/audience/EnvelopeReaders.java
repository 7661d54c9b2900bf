package org.loom.envelope.audience;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.loom.envelope.stored.EnvelopeStore.Located;
import org.loom.envelope.stored.EnvelopeStore.ThreadEntry;
import org.loom.protocol.thread.DagNode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who may read which envelope (spec §8.3), and the reads that apply it.
 *
 * <p>An envelope is readable by an identity when the envelope has a restricted audience that names the identity, or
 * when it has none and the identity is or was a participant of its thread. A thread is visible to an identity that
 * can read at least one of its envelopes through either rule: a Bcc recipient, who is not a participant, sees the
 * thread that holds its bcc copy, and in it only that copy.
 *
 * <p>The sender of an envelope sent with Bcc recipients reads its own signed original; everyone else reads the visible
 * form without the Bcc entries.
 */
@Repository
public class EnvelopeReaders {

    /**
     * SQL condition: envelope {@code e} is readable by {@code :actor}. Usable wherever the envelope table is aliased
     * {@code e}.
     */
    public static final String READABLE = "((NOT EXISTS (SELECT 1 FROM envelope_reader r WHERE r.envelope_id = e.id)"
            + " AND EXISTS (SELECT 1 FROM thread_participant p WHERE p.thread_id = e.thread_id"
            + " AND p.identity = :actor))"
            + " OR EXISTS (SELECT 1 FROM envelope_reader r WHERE r.envelope_id = e.id AND r.identity = :actor))";

    /**
     * SQL query: the ids of the threads where {@code :actor} is or was a participant or is a named reader of some
     * envelope (column {@code thread_id}, each once). Every envelope {@link #READABLE} by the actor lies in one of them,
     * so a query that joins its envelopes to this, as a derived table in {@code FROM}, starts from the actor's threads
     * through the identity indexes instead of testing {@link #READABLE} on every stored envelope.
     */
    public static final String ACTOR_THREADS = "SELECT p.thread_id FROM thread_participant p WHERE p.identity = :actor"
            + " UNION SELECT r.thread_id FROM envelope_reader r WHERE r.identity = :actor";

    /**
     * SQL condition: thread {@code t} is visible to {@code :actor}. Usable wherever the thread table is aliased
     * {@code t}.
     */
    public static final String THREAD_VISIBLE = "(t.id IN (SELECT p.thread_id FROM thread_participant p"
            + " WHERE p.identity = :actor) OR t.id IN (SELECT r.thread_id FROM envelope_reader r"
            + " WHERE r.identity = :actor))";

    private static final String JSON_FOR_ACTOR =
            "CASE WHEN e.sender = :actor AND o.json IS NOT NULL THEN o.json ELSE e.json END";

    private final JdbcClient jdbc;

    public EnvelopeReaders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Restricts the envelope to exactly these readers. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void restrict(String envelopeId, String threadId, Set<String> readers) {
        for (String reader : readers) {
            jdbc.sql("INSERT INTO envelope_reader (envelope_id, thread_id, identity) VALUES (?, ?, ?)")
                    .params(envelopeId, threadId, reader)
                    .update();
        }
    }

    /** Keeps the sender's signed original of an envelope whose stored form was made without the Bcc entries. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void keepOriginal(String envelopeId, String json) {
        jdbc.sql("INSERT INTO envelope_original (envelope_id, json) VALUES (?, ?)").params(envelopeId, json).update();
    }

    /** True when the thread holds at least one envelope the identity may read. */
    public boolean canSeeThread(String threadId, String actor) {
        return jdbc.sql("SELECT COUNT(*) FROM thread t WHERE t.id = :thread AND t.event_seq_counter > 0 AND "
                        + THREAD_VISIBLE)
                .param("thread", threadId)
                .param("actor", actor)
                .query(Long.class)
                .single() > 0;
    }

    /** The envelope as the identity reads it; empty when it does not exist or the identity may not read it. */
    public Optional<Located> readable(String envelopeId, String actor) {
        return jdbc.sql("SELECT e.thread_id, " + JSON_FOR_ACTOR + " AS json FROM envelope e"
                        + " LEFT JOIN envelope_original o ON o.envelope_id = e.id WHERE e.id = :id AND " + READABLE)
                .param("id", envelopeId)
                .param("actor", actor)
                .query((rs, n) -> new Located(rs.getString("thread_id"), rs.getString("json")))
                .optional();
    }

    /** The envelopes of the thread the identity may read, as it reads them, in no particular order. */
    public List<ThreadEntry> readableEntries(String threadId, String actor) {
        return jdbc.sql("SELECT e.id, e.parent_id, e.created_at, " + JSON_FOR_ACTOR + " AS json FROM envelope e"
                        + " LEFT JOIN envelope_original o ON o.envelope_id = e.id WHERE e.thread_id = :thread AND "
                        + READABLE)
                .param("thread", threadId)
                .param("actor", actor)
                .query((rs, n) -> new ThreadEntry(
                        DagNode.of(rs.getString("id"), rs.getString("parent_id"), rs.getString("created_at")),
                        rs.getString("json")))
                .list();
    }
}
