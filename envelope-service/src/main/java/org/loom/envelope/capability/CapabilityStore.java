package org.loom.envelope.capability;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.loom.protocol.capability.CapabilityToken;
import org.loom.protocol.json.LoomJson;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code capability} table. Changes to a token are made under the lock of its thread's row, so they are ordered
 * with the thread operations that use the token.
 */
@Repository
public class CapabilityStore {

    private static final String COLUMNS = "token, revoked, revoked_at, spent, spent_at";

    private final JdbcClient jdbc;

    public CapabilityStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void insert(CapabilityToken token, String tokenJson) {
        jdbc.sql("INSERT INTO capability (id, thread_id, issued_by, issued_to, created_at, token, revoked, spent)"
                        + " VALUES (?, ?, ?, ?, ?, ?, FALSE, FALSE)")
                .params(token.id(), token.threadId(), token.issuedBy(), token.issuedTo(), token.createdAt(),
                        tokenJson)
                .update();
    }

    public Optional<StoredCapability> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM capability WHERE id = ?")
                .param(id)
                .query(CapabilityStore::capability)
                .optional();
    }

    /** Every token of the thread, oldest first. */
    public List<StoredCapability> ofThread(String threadId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM capability WHERE thread_id = ? ORDER BY created_at, id")
                .param(threadId)
                .query(CapabilityStore::capability)
                .list();
    }

    /** Marks the token revoked; false when it already was. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean revoke(String id, String at) {
        return jdbc.sql("UPDATE capability SET revoked = TRUE, revoked_at = ? WHERE id = ? AND revoked = FALSE")
                .params(at, id)
                .update() == 1;
    }

    /** Marks the token spent; false when it already was. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean spend(String id, String at) {
        return jdbc.sql("UPDATE capability SET spent = TRUE, spent_at = ? WHERE id = ? AND spent = FALSE")
                .params(at, id)
                .update() == 1;
    }

    private static StoredCapability capability(ResultSet rs, int row) throws SQLException {
        String json = rs.getString("token");
        return new StoredCapability(CapabilityToken.fromJson(LoomJson.parse(json)), json, rs.getBoolean("revoked"),
                Optional.ofNullable(rs.getString("revoked_at")), rs.getBoolean("spent"),
                Optional.ofNullable(rs.getString("spent_at")));
    }
}
