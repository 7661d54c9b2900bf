package org.loom.envelope.thread;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code thread_fork} and {@code thread_link} tables. Writers hold the lock of the thread whose entries they
 * change.
 */
@Repository
public class ThreadRelationStore {

    private final JdbcClient jdbc;

    public ThreadRelationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<ThreadFork> forks(String threadId) {
        return jdbc.sql("SELECT fork_id, forked_from, state, subject FROM thread_fork WHERE thread_id = ?"
                        + " ORDER BY ordinal")
                .param(threadId)
                .query((rs, n) -> new ThreadFork(rs.getString("fork_id"),
                        Optional.ofNullable(rs.getString("forked_from")), rs.getString("state"),
                        Optional.ofNullable(rs.getString("subject"))))
                .list();
    }

    public List<ThreadLink> links(String threadId) {
        return jdbc.sql("SELECT linked_thread_id, relation FROM thread_link WHERE thread_id = ? ORDER BY ordinal")
                .param(threadId)
                .query((rs, n) -> new ThreadLink(rs.getString("linked_thread_id"), rs.getString("relation")))
                .list();
    }

    /** The forks of several threads at once, by thread id (every id present, with an empty list for none). */
    public Map<String, List<ThreadFork>> forks(Collection<String> threadIds) {
        Map<String, List<ThreadFork>> byThread = new LinkedHashMap<>();
        threadIds.forEach(id -> byThread.put(id, new ArrayList<>()));
        if (!threadIds.isEmpty()) {
            jdbc.sql("SELECT thread_id, fork_id, forked_from, state, subject FROM thread_fork"
                            + " WHERE thread_id IN (:ids) ORDER BY thread_id, ordinal")
                    .param("ids", threadIds)
                    .query(rs -> {
                        byThread.get(rs.getString("thread_id")).add(new ThreadFork(rs.getString("fork_id"),
                                Optional.ofNullable(rs.getString("forked_from")), rs.getString("state"),
                                Optional.ofNullable(rs.getString("subject"))));
                    });
        }
        return byThread;
    }

    /** The links of several threads at once, by thread id (every id present, with an empty list for none). */
    public Map<String, List<ThreadLink>> links(Collection<String> threadIds) {
        Map<String, List<ThreadLink>> byThread = new LinkedHashMap<>();
        threadIds.forEach(id -> byThread.put(id, new ArrayList<>()));
        if (!threadIds.isEmpty()) {
            jdbc.sql("SELECT thread_id, linked_thread_id, relation FROM thread_link"
                            + " WHERE thread_id IN (:ids) ORDER BY thread_id, ordinal")
                    .param("ids", threadIds)
                    .query(rs -> {
                        byThread.get(rs.getString("thread_id")).add(new ThreadLink(rs.getString("linked_thread_id"),
                                rs.getString("relation")));
                    });
        }
        return byThread;
    }

    /** Adds a fork entry unless the thread lists that fork already. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void addFork(String threadId, ThreadFork fork) {
        jdbc.sql("INSERT INTO thread_fork (thread_id, fork_id, ordinal, forked_from, state, subject)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(threadId, fork.forkId(), nextOrdinal("thread_fork", threadId),
                        fork.forkedFrom().orElse(null), fork.state(), fork.subject().orElse(null))
                .update();
    }

    /** Sets the state of a fork entry, adding the entry when the thread did not list the fork. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void setForkState(String threadId, String forkId, String state) {
        int updated = jdbc.sql("UPDATE thread_fork SET state = ? WHERE thread_id = ? AND fork_id = ?")
                .params(state, threadId, forkId)
                .update();
        if (updated == 0) {
            addFork(threadId, new ThreadFork(forkId, Optional.empty(), state, Optional.empty()));
        }
    }

    /** Adds a link entry unless the thread has the same one. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void addLink(String threadId, ThreadLink link) {
        jdbc.sql("INSERT INTO thread_link (thread_id, linked_thread_id, relation, ordinal) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING")
                .params(threadId, link.threadId(), link.relation(), nextOrdinal("thread_link", threadId))
                .update();
    }

    private int nextOrdinal(String table, String threadId) {
        Integer last = jdbc.sql("SELECT MAX(ordinal) FROM " + table + " WHERE thread_id = ?")
                .param(threadId)
                .query(Integer.class)
                .optional()
                .orElse(null);
        return last == null ? 0 : last + 1;
    }
}
