package org.loom.envelope.delegation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.loom.protocol.delegation.DelegationLink;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The {@code delegation} table. */
@Repository
public class DelegationStore {

    private static final String COLUMNS = "id, delegator, delegate, link, revoked, revoked_at";

    private final JdbcClient jdbc;

    public DelegationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a verified link; false when a delegation with its id exists already. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean insert(DelegationLink link, String linkJson) {
        return jdbc.sql("INSERT INTO delegation (id, delegator, delegate, created_at, link, revoked)"
                        + " VALUES (?, ?, ?, ?, ?, FALSE) ON CONFLICT DO NOTHING")
                .params(link.id(), link.delegator(), link.delegate(), link.createdAt(), linkJson)
                .update() == 1;
    }

    public Optional<StoredDelegation> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM delegation WHERE id = ?")
                .param(id)
                .query(DelegationStore::delegation)
                .optional();
    }

    /** Locks the delegation row for the rest of the transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<StoredDelegation> lock(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM delegation WHERE id = ? FOR UPDATE")
                .param(id)
                .query(DelegationStore::delegation)
                .optional();
    }

    /** True when a delegation with this id was recorded and then revoked. */
    public boolean isRevoked(String id) {
        return jdbc.sql("SELECT COUNT(*) FROM delegation WHERE id = ? AND revoked = TRUE")
                .param(id)
                .query(Long.class)
                .single() > 0;
    }

    /** Marks it revoked; false when it already was. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean revoke(String id, String at) {
        return jdbc.sql("UPDATE delegation SET revoked = TRUE, revoked_at = ? WHERE id = ? AND revoked = FALSE")
                .params(at, id)
                .update() == 1;
    }

    /**
     * The delegations the identity granted, received, or either ({@code role} {@code delegator}, {@code delegate},
     * anything else), oldest first.
     */
    public List<StoredDelegation> of(String identity, String role) {
        String where = switch (role) {
            case "delegator" -> "delegator = :identity";
            case "delegate" -> "delegate = :identity";
            default -> "(delegator = :identity OR delegate = :identity)";
        };
        return jdbc.sql("SELECT " + COLUMNS + " FROM delegation WHERE " + where + " ORDER BY created_at, id")
                .param("identity", identity)
                .query(DelegationStore::delegation)
                .list();
    }

    private static StoredDelegation delegation(ResultSet rs, int row) throws SQLException {
        return new StoredDelegation(rs.getString("id"), rs.getString("delegator"), rs.getString("delegate"),
                rs.getString("link"), rs.getBoolean("revoked"), Optional.ofNullable(rs.getString("revoked_at")));
    }
}
