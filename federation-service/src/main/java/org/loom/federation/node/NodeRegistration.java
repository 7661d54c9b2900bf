package org.loom.federation.node;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.loom.protocol.crypto.InvalidKeyException;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.error.LoomException;
import org.loom.service.audit.AuditTrail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registers and updates federated nodes ({@code POST /v1/federation/nodes} and bootstrap).
 *
 * <p>Keys: the body's {@code signing_keys} plus the single {@code key_id}/{@code public_key_pem} pair, trimmed, entries
 * missing either part dropped, de-duplicated by key id (the last one wins, in the first one's place); merged with the
 * node's existing keys unless {@code replace_signing_keys} is true. The active key is the first present of
 * {@code active_key_id}, {@code key_id} and the existing active key, else the first key. A body with a {@code policy}
 * member sets the configured policy and clears any automatic policy.
 */
@Service
public class NodeRegistration {

    private static final List<String> POLICIES =
            List.of(FederatedNode.TRUSTED, FederatedNode.QUARANTINE, FederatedNode.DENY);

    private final NodeRegistry registry;
    private final AuditTrail audit;
    private final Clock clock;

    private static final int MAX_NAME_LENGTH = 255;
    private static final int MAX_URL_LENGTH = 2048;

    NodeRegistration(NodeRegistry registry, AuditTrail audit, Clock clock) {
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Registers or updates the node the body describes.
     *
     * @param actor who asked, for the audit record
     * @throws LoomException {@code ENVELOPE_INVALID} for a missing node id, no usable key, an unreadable key, a policy
     *         other than trusted, quarantine or deny, or a URL that is not http(s)
     */
    @Transactional
    public FederatedNode register(JsonNode body, String actor) {
        if (body == null || !body.isObject()) {
            throw LoomException.invalid("Request body must be a JSON object", LoomException.details("field", "body"));
        }
        String nodeId = text(body, "node_id");
        if (nodeId == null) {
            throw LoomException.invalid("node_id is required", LoomException.details("field", "node_id"));
        }
        requireLength(nodeId, "node_id", MAX_NAME_LENGTH);
        Instant now = clock.instant();
        Optional<FederatedNode> existing = registry.lock(nodeId);

        Map<String, String> payloadKeys = new LinkedHashMap<>();
        JsonNode signingKeys = body.get("signing_keys");
        if (signingKeys != null && signingKeys.isArray()) {
            for (JsonNode entry : signingKeys) {
                putKey(payloadKeys, text(entry, "key_id"), text(entry, "public_key_pem"));
            }
        }
        putKey(payloadKeys, text(body, "key_id"), text(body, "public_key_pem"));
        Map<String, String> keys = new LinkedHashMap<>();
        if (!flag(body, "replace_signing_keys") && existing.isPresent()) {
            existing.get().signingKeys().forEach(key -> keys.put(key.keyId(), key.publicKeyPem()));
        }
        payloadKeys.forEach(keys::put);
        if (keys.isEmpty()) {
            throw LoomException.invalid("At least one federation signing key is required",
                    LoomException.details("field", "signing_keys"));
        }
        List<NodeSigningKeyEntry> entries = new ArrayList<>();
        keys.forEach((id, pem) -> {
            requireLength(id, "key_id", MAX_NAME_LENGTH);
            try {
                VerifyingKey.fromSpkiPem(pem);
            } catch (InvalidKeyException | IllegalArgumentException e) {
                throw LoomException.invalid("Federation signing key is not an Ed25519 public key PEM: " + id,
                        LoomException.details("field", "signing_keys", "key_id", id));
            }
            entries.add(new NodeSigningKeyEntry(id, pem));
        });
        String activeKeyId = firstKey(keys, text(body, "active_key_id"), text(body, "key_id"),
                existing.map(FederatedNode::keyId).orElse(null))
                .orElse(entries.get(0).keyId());

        String deliverUrl = Optional.ofNullable(text(body, "deliver_url"))
                .or(() -> existing.map(FederatedNode::deliverUrl)).orElse(null);
        requireHttpUrl(deliverUrl, "deliver_url");
        requireLength(deliverUrl, "deliver_url", MAX_URL_LENGTH);
        String domain = Optional.ofNullable(text(body, "domain"))
                .or(() -> existing.map(FederatedNode::domain))
                .or(() -> Optional.ofNullable(deliverUrl).map(url -> URI.create(url).getAuthority()))
                .orElse(nodeId).toLowerCase(Locale.ROOT);
        String apiUrl = Optional.ofNullable(text(body, "api_url"))
                .or(() -> existing.map(FederatedNode::apiUrl))
                .or(() -> Optional.ofNullable(deliverUrl).filter(url -> url.endsWith("/federation/deliver"))
                        .map(url -> url.substring(0, url.length() - "/federation/deliver".length())))
                .orElse("https://" + domain + "/v1");
        requireHttpUrl(apiUrl, "api_url");
        requireLength(apiUrl, "api_url", MAX_URL_LENGTH);
        requireLength(domain, "domain", MAX_NAME_LENGTH);

        String configuredPolicy = existing.map(FederatedNode::configuredPolicy).orElse(FederatedNode.TRUSTED);
        boolean policyGiven = body.has("policy");
        if (policyGiven) {
            JsonNode given = body.get("policy");
            if (!given.isNull() && !given.isString()) {
                // Read as absent, a policy of another type would have made the node trusted.
                throw LoomException.invalid("policy must be one of " + POLICIES,
                        LoomException.details("field", "policy", "allowed", POLICIES));
            }
            String policy = text(body, "policy");
            configuredPolicy = policy == null ? FederatedNode.TRUSTED : policy.toLowerCase(Locale.ROOT);
            if (!POLICIES.contains(configuredPolicy)) {
                throw LoomException.invalid("policy must be one of " + POLICIES,
                        LoomException.details("field", "policy", "allowed", POLICIES));
            }
        }
        FederatedNode previous = existing.orElse(null);
        FederatedNode node = new FederatedNode(nodeId, domain, activeKeyId, entries, deliverUrl, apiUrl,
                configuredPolicy,
                policyGiven || previous == null ? null : previous.autoPolicy(),
                policyGiven || previous == null ? null : previous.autoPolicyUntil(),
                policyGiven || previous == null ? null : previous.autoPolicyReason(),
                previous == null ? null : previous.challengeRequiredUntil(),
                previous == null ? null : previous.challengeReason(),
                previous == null ? 0 : previous.reputationScore(),
                previous == null ? 0 : previous.abuseCount(),
                previous == null ? null : previous.abuseWindowStartedAt(),
                previous == null ? now : previous.createdAt(), now);
        registry.save(node);
        ObjectNode payload = AuditTrail.payload();
        payload.put("node_id", nodeId).put("key_id", activeKeyId).put("signing_key_count", entries.size())
                .put("actor", actor);
        audit.record("federation.node.upsert", payload);
        return node;
    }

    /** The registry's columns hold names up to 255 characters and URLs up to 2,048; longer is a client mistake. */
    private static void requireLength(String value, String field, int max) {
        if (value != null && value.length() > max) {
            throw LoomException.invalid(field + " is longer than " + max + " characters",
                    LoomException.details("field", field, "max_length", max));
        }
    }

    private static void putKey(Map<String, String> keys, String keyId, String pem) {
        if (keyId == null || pem == null) {
            return;
        }
        // The last occurrence wins but keeps the first one's position, as a LinkedHashMap put does.
        keys.put(keyId, pem);
    }

    private static Optional<String> firstKey(Map<String, String> keys, String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && keys.containsKey(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static void requireHttpUrl(String url, String field) {
        if (url == null) {
            return;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw LoomException.invalid(field + " must be an absolute http(s) URL", LoomException.details("field", field));
    }

    /**
     * A yes/no member: a JSON boolean; false when absent or null. Anything else (the text {@code "true"}, a number,
     * an object) is refused rather than guessed at, since these flags widen what the node accepts.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} naming the field
     */
    static boolean flag(JsonNode object, String field) {
        JsonNode value = object == null || !object.isObject() ? null : object.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw LoomException.invalid(field + " must be true or false", LoomException.details("field", field));
        }
        return value.booleanValue();
    }

    static String text(JsonNode object, String field) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode value = object.get(field);
        if (value == null || !value.isString()) {
            return null;
        }
        String trimmed = value.stringValue().strip();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
