package org.loom.envelope.thread;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.loom.envelope.audience.EnvelopeReaders;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.thread.ThreadState;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The {@code thread} and {@code thread_participant} tables.
 *
 * <p>Writers go through {@link #lock} or {@link #lockOrOpen}: the thread row stays locked until their transaction
 * ends, which is what makes the decisions on one thread sequential even when two consumers handle its commands.
 */
@Repository
public class ThreadStore {

    private static final String COLUMNS =
            "id, root_envelope_id, subject, state, created_at, updated_at, labels, cap_epoch, event_seq_counter";

    private final JdbcClient jdbc;

    public ThreadStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks an existing thread for the rest of the transaction; empty when there is none. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ThreadRecord> lock(String threadId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM thread WHERE id = ? FOR UPDATE")
                .param(threadId)
                .query(ThreadStore::thread)
                .optional();
    }

    /**
     * Locks the thread, creating it as {@code opening} first when it does not exist. When another transaction is
     * creating the same thread, this waits for it: if it commits, the thread it created is returned (no longer
     * opening); if it rolls back, this transaction creates the thread.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ThreadRecord lockOrOpen(ThreadRecord opening) {
        jdbc.sql("INSERT INTO thread (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(rowValues(opening))
                .update();
        return lock(opening.id()).orElseThrow(() -> new IllegalStateException("thread row vanished: " + opening.id()));
    }

    /** Writes every column of a locked thread. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void update(ThreadRecord thread) {
        List<Object> values = new ArrayList<>(rowValues(thread).subList(1, 9));
        values.add(thread.id());
        int updated = jdbc.sql("UPDATE thread SET root_envelope_id = ?, subject = ?, state = ?, created_at = ?,"
                        + " updated_at = ?, labels = ?, cap_epoch = ?, event_seq_counter = ? WHERE id = ?")
                .params(values)
                .update();
        if (updated != 1) {
            throw new IllegalStateException("thread not found for update: " + thread.id());
        }
    }

    /** Adds participants after those the thread has. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void addParticipants(String threadId, List<Participant> added) {
        Integer last = jdbc.sql("SELECT MAX(ordinal) FROM thread_participant WHERE thread_id = ?")
                .param(threadId)
                .query(Integer.class)
                .optional()
                .orElse(null);
        int ordinal = last == null ? 0 : last + 1;
        for (Participant participant : added) {
            jdbc.sql("INSERT INTO thread_participant (thread_id, identity, ordinal, role, joined_at, left_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")
                    .params(threadId, participant.identity(), ordinal++, participant.role(), participant.joinedAt(),
                            participant.leftAt().orElse(null))
                    .update();
        }
    }

    /** Replaces the participants of a locked thread, keeping the order given. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void replaceParticipants(String threadId, List<Participant> participants) {
        jdbc.sql("DELETE FROM thread_participant WHERE thread_id = ?").param(threadId).update();
        addParticipants(threadId, participants);
    }

    /** The thread as committed, without locking it. */
    public Optional<ThreadRecord> find(String threadId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM thread WHERE id = ?")
                .param(threadId)
                .query(ThreadStore::thread)
                .optional();
    }

    /** The thread's participants in the order they joined. */
    public Participants participants(String threadId) {
        return new Participants(jdbc.sql("SELECT identity, role, joined_at, left_at FROM thread_participant"
                        + " WHERE thread_id = ? ORDER BY ordinal")
                .param(threadId)
                .query((rs, n) -> participant(rs))
                .list());
    }

    /** The participants of several threads at once, by thread id. */
    public Map<String, Participants> participants(Collection<String> threadIds) {
        Map<String, List<Participant>> byThread = new LinkedHashMap<>();
        threadIds.forEach(id -> byThread.put(id, new ArrayList<>()));
        if (!threadIds.isEmpty()) {
            jdbc.sql("SELECT thread_id, identity, role, joined_at, left_at FROM thread_participant"
                            + " WHERE thread_id IN (:ids) ORDER BY thread_id, ordinal")
                    .param("ids", threadIds)
                    .query(rs -> {
                        byThread.get(rs.getString("thread_id")).add(participant(rs));
                    });
        }
        Map<String, Participants> result = new LinkedHashMap<>();
        byThread.forEach((id, members) -> result.put(id, new Participants(members)));
        return result;
    }

    /** True when the identity is or was a participant of the thread. */
    public boolean hasEverParticipated(String threadId, String identity) {
        return jdbc.sql("SELECT COUNT(*) FROM thread_participant WHERE thread_id = ? AND identity = ?")
                .params(threadId, identity)
                .query(Long.class)
                .single() > 0;
    }

    /**
     * One page of the threads visible to the identity (it is or was a participant, or a restricted envelope of the
     * thread names it), most recently updated first; ties in {@code updated_at} go by id, descending, so the order is
     * total and a cursor can resume it.
     *
     * @param label only threads the identity filed under this mailbox label, when present
     * @param after the last thread of the previous page, or empty for the first page
     */
    public List<ThreadRecord> pageOfThreadsVisibleTo(String identity, Optional<String> label,
            Optional<ThreadPosition> after, int limit) {
        String keyset = after.isPresent() ? " AND (t.updated_at < :updatedAt OR (t.updated_at = :updatedAt"
                + " AND t.id < :id))" : "";
        String labelled = label.isPresent() ? " AND t.id IN (SELECT m.thread_id FROM mailbox_label m"
                + " WHERE m.identity = :actor AND m.label = :label)" : "";
        JdbcClient.StatementSpec statement = jdbc.sql("SELECT " + COLUMNS + " FROM thread t"
                        + " WHERE t.event_seq_counter > 0 AND " + EnvelopeReaders.THREAD_VISIBLE + labelled + keyset
                        + " ORDER BY t.updated_at DESC, t.id DESC LIMIT :limit")
                .param("actor", identity)
                .param("limit", limit);
        if (label.isPresent()) {
            statement = statement.param("label", label.get());
        }
        if (after.isPresent()) {
            statement = statement.param("updatedAt", after.get().updatedAt()).param("id", after.get().threadId());
        }
        return statement.query(ThreadStore::thread).list();
    }

    private static List<Object> rowValues(ThreadRecord thread) {
        ArrayNode labels = LoomJson.mapper().createArrayNode();
        thread.labels().forEach(labels::add);
        List<Object> values = new ArrayList<>();
        values.add(thread.id());
        values.add(thread.rootEnvelopeId().orElse(null));
        values.add(thread.subject().orElse(null));
        values.add(thread.state().wireName());
        values.add(thread.createdAt());
        values.add(thread.updatedAt());
        values.add(LoomJson.write(labels));
        values.add(thread.capEpoch());
        values.add(thread.eventSeqCounter());
        return values;
    }

    private static ThreadRecord thread(ResultSet rs, int row) throws SQLException {
        List<String> labels = new ArrayList<>();
        for (JsonNode label : LoomJson.parse(rs.getString("labels"))) {
            labels.add(label.stringValue());
        }
        String state = rs.getString("state");
        return new ThreadRecord(
                rs.getString("id"),
                Optional.ofNullable(rs.getString("root_envelope_id")),
                Optional.ofNullable(rs.getString("subject")),
                ThreadState.fromWire(state).orElseThrow(() -> new IllegalStateException("unknown state " + state)),
                rs.getString("created_at"),
                rs.getString("updated_at"),
                labels,
                rs.getLong("cap_epoch"),
                rs.getLong("event_seq_counter"));
    }

    private static Participant participant(ResultSet rs) throws SQLException {
        return new Participant(rs.getString("identity"), rs.getString("role"), rs.getString("joined_at"),
                Optional.ofNullable(rs.getString("left_at")));
    }
}
