package org.loom.envelope.identity;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.IdentityChanged;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;

/**
 * The local read model of identities ({@code identity_view}), fed by the gateway's identity change records. Each
 * record is an identity's whole state, so applying one replaces the row; a record older than the row (by
 * {@code changed_at}) is ignored, and a deletion removes the row.
 */
@Repository
public class IdentityView {

    private static final TypeReference<List<IdentityChanged.Key>> KEYS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;

    public IdentityView(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The identity as last reported, if it exists. */
    public Optional<KnownIdentity> find(String identity) {
        return jdbc.sql("SELECT identity, identity_type, signing_keys, changed_at FROM identity_view WHERE identity = ?")
                .param(identity)
                .query((rs, n) -> new KnownIdentity(
                        rs.getString("identity"),
                        rs.getString("identity_type"),
                        LoomJson.mapper().readValue(rs.getString("signing_keys"), KEYS),
                        rs.getObject("changed_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** Applies a change record. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void apply(IdentityChanged change) {
        OffsetDateTime changedAt = OffsetDateTime.ofInstant(change.changedAt(), ZoneOffset.UTC);
        if (change.deleted()) {
            jdbc.sql("DELETE FROM identity_view WHERE identity = ? AND changed_at <= ?")
                    .params(change.identity(), changedAt)
                    .update();
            return;
        }
        String keys = LoomJson.write(LoomJson.mapper().valueToTree(change.keys()));
        int inserted = jdbc.sql("INSERT INTO identity_view (identity, identity_type, signing_keys, changed_at)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(change.identity(), change.identityType(), keys, changedAt)
                .update();
        if (inserted == 0) {
            jdbc.sql("UPDATE identity_view SET identity_type = ?, signing_keys = ?, changed_at = ?,"
                            + " updated_at = CURRENT_TIMESTAMP WHERE identity = ? AND changed_at <= ?")
                    .params(change.identityType(), keys, changedAt, change.identity(), changedAt)
                    .update();
        }
    }
}
