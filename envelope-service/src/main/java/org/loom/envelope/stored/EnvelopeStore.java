package org.loom.envelope.stored;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.loom.protocol.thread.DagNode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The {@code envelope} table. */
@Repository
public class EnvelopeStore {

    private final JdbcClient jdbc;

    public EnvelopeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** True when an envelope with this id is stored in any thread. */
    public boolean exists(String envelopeId) {
        return jdbc.sql("SELECT COUNT(*) FROM envelope WHERE id = ?").param(envelopeId).query(Long.class).single() > 0;
    }

    /** True when some envelope of the thread names {@code envelopeId} as its parent. */
    public boolean hasChildIn(String threadId, String envelopeId) {
        return jdbc.sql("SELECT COUNT(*) FROM envelope WHERE thread_id = ? AND parent_id = ?")
                .params(threadId, envelopeId)
                .query(Long.class)
                .single() > 0;
    }

    /** Every envelope of the thread mapped to its parent id ({@code null} for roots). */
    public Map<String, String> parentLinks(String threadId) {
        Map<String, String> links = new HashMap<>();
        jdbc.sql("SELECT id, parent_id FROM envelope WHERE thread_id = ?")
                .param(threadId)
                .query(rs -> {
                    links.put(rs.getString("id"), rs.getString("parent_id"));
                });
        return links;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void insert(StoredEnvelope envelope) {
        jdbc.sql("INSERT INTO envelope (id, thread_id, parent_id, type, sender, created_at, created_at_ms,"
                        + " received_at, event_seq, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(envelope.id(), envelope.threadId(), envelope.parentId().orElse(null), envelope.type(),
                        envelope.sender(), envelope.createdAt(), envelope.createdAtMs(), envelope.receivedAt(),
                        envelope.eventSeq(), envelope.json())
                .update();
    }

    /** The stored JSON of an envelope and the thread it is in. */
    public Optional<Located> find(String envelopeId) {
        return jdbc.sql("SELECT thread_id, json FROM envelope WHERE id = ?")
                .param(envelopeId)
                .query((rs, n) -> new Located(rs.getString("thread_id"), rs.getString("json")))
                .optional();
    }

    /** Every envelope of the thread: its place in the DAG and its stored JSON, in no particular order. */
    public List<ThreadEntry> entriesOf(String threadId) {
        return jdbc.sql("SELECT id, parent_id, created_at, json FROM envelope WHERE thread_id = ?")
                .param(threadId)
                .query((rs, n) -> new ThreadEntry(
                        DagNode.of(rs.getString("id"), rs.getString("parent_id"), rs.getString("created_at")),
                        rs.getString("json")))
                .list();
    }

    /** How many envelopes the thread holds. */
    public long countIn(String threadId) {
        return jdbc.sql("SELECT COUNT(*) FROM envelope WHERE thread_id = ?").param(threadId).query(Long.class)
                .single();
    }

    /** A stored envelope's JSON and its thread. */
    public record Located(String threadId, String json) {
    }

    /** A stored envelope's DAG node and JSON. */
    public record ThreadEntry(DagNode node, String json) {
    }
}
