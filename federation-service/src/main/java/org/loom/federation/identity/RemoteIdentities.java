package org.loom.federation.identity;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.loom.federation.config.FederationSettings;
import org.loom.federation.node.FederatedNode;
import org.loom.federation.node.NodeRegistry;
import org.loom.federation.outbound.OutboundFetcher;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * Keys of identities that live on other nodes, fetched from their home node ({@code GET {api_url}/identity/{uri}}) and
 * cached in {@code remote_identity}. The home node is the registered node whose domain is the identity's domain. A
 * cached identity is fetched again once it is older than {@code LOOM_FEDERATION_REMOTE_IDENTITY_TTL_MS}, or at once
 * when an envelope names a key id the cache does not know (the identity may have added a key).
 */
@Component
public class RemoteIdentities {

    private static final TypeReference<List<RemoteIdentity.Key>> KEYS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final NodeRegistry nodes;
    private final OutboundFetcher fetcher;
    private final FederationSettings settings;
    private final Clock clock;

    RemoteIdentities(JdbcClient jdbc, NodeRegistry nodes, OutboundFetcher fetcher, FederationSettings settings,
            Clock clock) {
        this.jdbc = jdbc;
        this.nodes = nodes;
        this.fetcher = fetcher;
        this.settings = settings;
        this.clock = clock;
    }

    /** The registered node serving the address's domain. */
    public Optional<FederatedNode> homeNode(String identity) {
        return LoomAddress.tryParse(identity).flatMap(address -> nodes.findByDomain(address.domain()));
    }

    /**
     * The identity with the key {@code keyId} among its active keys, fetched from its home node when the cache does
     * not have it (or has it stale).
     *
     * @throws LoomException {@code SIGNATURE_INVALID} when no registered node serves the identity's domain, or the
     *         identity has no such active key; {@code NODE_UNREACHABLE}/{@code DELIVERY_TIMEOUT} when its home node
     *         cannot be asked
     */
    public RemoteIdentity resolve(String identity, String keyId) {
        Instant now = clock.instant();
        Optional<RemoteIdentity> cached = cached(identity);
        if (cached.isPresent() && cached.get().key(keyId).isPresent()
                && cached.get().fetchedAt().plus(settings.remoteIdentityTtl()).isAfter(now)) {
            return cached.get();
        }
        FederatedNode home = homeNode(identity).orElseThrow(() -> LoomException.signatureInvalid(
                "No registered federation node serves the sender's domain",
                LoomException.details("identity", identity)));
        String url = home.apiUrl() + "/identity/" + URLEncoder.encode(identity, StandardCharsets.UTF_8);
        // The API URL was registered by an authenticated caller or taken from the node document; the address rules
        // of outbound requests still apply.
        JsonNode document = fetcher.getJson(url, true, fetcher.defaultTimeout());
        if (!identity.equals(text(document, "id"))) {
            throw LoomException.signatureInvalid("The sender's home node did not return the sender's identity",
                    LoomException.details("identity", identity, "node_id", home.nodeId()));
        }
        List<RemoteIdentity.Key> keys = new ArrayList<>();
        for (JsonNode key : document.path("signing_keys")) {
            String status = text(key, "status");
            if (text(key, "key_id") != null && text(key, "public_key_pem") != null
                    && (status == null || status.equals("active"))) {
                keys.add(new RemoteIdentity.Key(text(key, "key_id"), text(key, "public_key_pem")));
            }
        }
        String type = text(document, "type") == null ? "human" : text(document, "type");
        RemoteIdentity fetched = new RemoteIdentity(identity, home.nodeId(), type, keys, now);
        store(fetched);
        if (fetched.key(keyId).isEmpty()) {
            throw LoomException.signatureInvalid("Unknown signing key: " + keyId,
                    LoomException.details("field", "signature.key_id"));
        }
        return fetched;
    }

    private Optional<RemoteIdentity> cached(String identity) {
        return jdbc.sql("SELECT identity, node_id, identity_type, signing_keys, fetched_at FROM remote_identity"
                        + " WHERE identity = ?")
                .param(identity).query(RemoteIdentities::map).optional();
    }

    private void store(RemoteIdentity identity) {
        String keys = LoomJson.mapper().writeValueAsString(identity.keys());
        OffsetDateTime fetchedAt = OffsetDateTime.ofInstant(identity.fetchedAt(), ZoneOffset.UTC);
        int updated = jdbc.sql("UPDATE remote_identity SET node_id = ?, identity_type = ?, signing_keys = ?,"
                        + " fetched_at = ? WHERE identity = ?")
                .params(identity.nodeId(), identity.type(), keys, fetchedAt, identity.identity()).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO remote_identity (identity, node_id, identity_type, signing_keys, fetched_at)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                    .params(identity.identity(), identity.nodeId(), identity.type(), keys, fetchedAt).update();
        }
    }

    private static RemoteIdentity map(ResultSet rs, int row) throws SQLException {
        return new RemoteIdentity(rs.getString("identity"), rs.getString("node_id"), rs.getString("identity_type"),
                LoomJson.mapper().readValue(rs.getString("signing_keys"), KEYS),
                rs.getObject("fetched_at", OffsetDateTime.class).toInstant());
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object == null ? null : object.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}
