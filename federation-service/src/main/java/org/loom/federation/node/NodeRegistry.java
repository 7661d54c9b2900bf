package org.loom.federation.node;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.loom.protocol.json.LoomJson;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;

/** The {@code federation_node} table. */
@Repository
public class NodeRegistry {

    private static final TypeReference<List<KeyRow>> KEYS = new TypeReference<>() {
    };
    private static final String COLUMNS = "node_id, domain, key_id, signing_keys, deliver_url, api_url,"
            + " configured_policy, auto_policy, auto_policy_until, auto_policy_reason, challenge_required_until,"
            + " challenge_reason, reputation_score, abuse_count, abuse_window_started_at, created_at, updated_at";

    private final JdbcClient jdbc;

    public NodeRegistry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<FederatedNode> find(String nodeId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM federation_node WHERE node_id = ?")
                .param(nodeId).query(NodeRegistry::map).optional();
    }

    /** The node's row, locked until the caller's transaction ends. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<FederatedNode> lock(String nodeId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM federation_node WHERE node_id = ? FOR UPDATE")
                .param(nodeId).query(NodeRegistry::map).optional();
    }

    /** The node serving a domain; with several, the one registered first. */
    public Optional<FederatedNode> findByDomain(String domain) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM federation_node WHERE LOWER(domain) = LOWER(?)"
                        + " ORDER BY created_at, node_id")
                .param(domain).query(NodeRegistry::map).list().stream().findFirst();
    }

    public List<FederatedNode> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM federation_node ORDER BY node_id").query(NodeRegistry::map).list();
    }

    /** Inserts the node, or replaces every column of an existing row with the same id. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void save(FederatedNode node) {
        Object[] values = {node.domain(), node.keyId(), keys(node), node.deliverUrl(), node.apiUrl(),
                node.configuredPolicy(), node.autoPolicy(), time(node.autoPolicyUntil()), node.autoPolicyReason(),
                time(node.challengeRequiredUntil()), node.challengeReason(), node.reputationScore(),
                node.abuseCount(), time(node.abuseWindowStartedAt()), time(node.updatedAt())};
        int updated = jdbc.sql("UPDATE federation_node SET domain = ?, key_id = ?, signing_keys = ?, deliver_url = ?,"
                        + " api_url = ?, configured_policy = ?, auto_policy = ?, auto_policy_until = ?,"
                        + " auto_policy_reason = ?, challenge_required_until = ?, challenge_reason = ?,"
                        + " reputation_score = ?, abuse_count = ?, abuse_window_started_at = ?, updated_at = ?"
                        + " WHERE node_id = ?")
                .params(append(values, node.nodeId())).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO federation_node (" + COLUMNS + ") VALUES"
                            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(node.nodeId(), node.domain(), node.keyId(), keys(node), node.deliverUrl(), node.apiUrl(),
                            node.configuredPolicy(), node.autoPolicy(), time(node.autoPolicyUntil()),
                            node.autoPolicyReason(), time(node.challengeRequiredUntil()), node.challengeReason(),
                            node.reputationScore(), node.abuseCount(), time(node.abuseWindowStartedAt()),
                            time(node.createdAt()), time(node.updatedAt()))
                    .update();
        }
    }

    private static Object[] append(Object[] values, Object last) {
        Object[] all = java.util.Arrays.copyOf(values, values.length + 1);
        all[values.length] = last;
        return all;
    }

    private static String keys(FederatedNode node) {
        return LoomJson.mapper().writeValueAsString(
                node.signingKeys().stream().map(key -> new KeyRow(key.keyId(), key.publicKeyPem())).toList());
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static FederatedNode map(ResultSet rs, int row) throws SQLException {
        List<NodeSigningKeyEntry> keys = LoomJson.mapper().readValue(rs.getString("signing_keys"), KEYS).stream()
                .map(key -> new NodeSigningKeyEntry(key.keyId(), key.publicKeyPem()))
                .toList();
        return new FederatedNode(rs.getString("node_id"), rs.getString("domain"), rs.getString("key_id"), keys,
                rs.getString("deliver_url"), rs.getString("api_url"), rs.getString("configured_policy"),
                rs.getString("auto_policy"), instant(rs, "auto_policy_until"), rs.getString("auto_policy_reason"),
                instant(rs, "challenge_required_until"), rs.getString("challenge_reason"),
                rs.getInt("reputation_score"), rs.getInt("abuse_count"), instant(rs, "abuse_window_started_at"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    @tools.jackson.databind.annotation.JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KeyRow(String keyId, String publicKeyPem) {
    }
}
