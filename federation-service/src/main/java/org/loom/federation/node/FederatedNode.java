package org.loom.federation.node;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.crypto.InvalidKeyException;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A node registered for federation, with its trust policy and guard state.
 *
 * <p>The effective {@link #policy(Instant)} is an automatic policy while it lasts, else the configured one. Only
 * {@code deny} and {@code quarantine} have effects; any other value behaves as {@code trusted}.
 */
public record FederatedNode(
        String nodeId,
        String domain,
        String keyId,
        List<NodeSigningKeyEntry> signingKeys,
        String deliverUrl,
        String apiUrl,
        String configuredPolicy,
        String autoPolicy,
        Instant autoPolicyUntil,
        String autoPolicyReason,
        Instant challengeRequiredUntil,
        String challengeReason,
        int reputationScore,
        int abuseCount,
        Instant abuseWindowStartedAt,
        Instant createdAt,
        Instant updatedAt) {

    public static final String TRUSTED = "trusted";
    public static final String QUARANTINE = "quarantine";
    public static final String DENY = "deny";

    public FederatedNode {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(keyId, "keyId");
        signingKeys = List.copyOf(signingKeys);
        Objects.requireNonNull(configuredPolicy, "configuredPolicy");
    }

    /** The policy in force at {@code now}. */
    public String policy(Instant now) {
        return autoPolicyActive(now) ? autoPolicy : configuredPolicy;
    }

    public boolean autoPolicyActive(Instant now) {
        return autoPolicy != null && autoPolicyUntil != null && autoPolicyUntil.isAfter(now);
    }

    public boolean challengeRequired(Instant now) {
        return challengeRequiredUntil != null && challengeRequiredUntil.isAfter(now);
    }

    /** The verifying key with this id, if the node registered one (and its PEM is readable). */
    public Optional<VerifyingKey> verifyingKey(String id) {
        return signingKeys.stream()
                .filter(entry -> entry.keyId().equals(id))
                .findFirst()
                .flatMap(entry -> {
                    try {
                        return Optional.of(VerifyingKey.fromSpkiPem(entry.publicKeyPem()));
                    } catch (InvalidKeyException | IllegalArgumentException e) {
                        return Optional.empty();
                    }
                });
    }

    /** The active key's PEM. */
    public String publicKeyPem() {
        return signingKeys.stream().filter(entry -> entry.keyId().equals(keyId)).findFirst()
                .map(NodeSigningKeyEntry::publicKeyPem).orElse(null);
    }

    /** The registry entry as the node routes return it, in the reference's key order plus domain and api_url. */
    public ObjectNode toJson(Instant now) {
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("node_id", nodeId);
        json.put("key_id", keyId);
        json.put("public_key_pem", publicKeyPem());
        ArrayNode keys = json.putArray("signing_keys");
        signingKeys.forEach(entry -> keys.addObject().put("key_id", entry.keyId())
                .put("public_key_pem", entry.publicKeyPem()));
        json.put("deliver_url", deliverUrl);
        json.put("configured_policy", configuredPolicy);
        json.put("policy", policy(now));
        boolean auto = autoPolicyActive(now);
        json.put("auto_policy", auto ? autoPolicy : null);
        json.put("auto_policy_until", auto ? Timestamps.format(autoPolicyUntil) : null);
        json.put("auto_policy_reason", auto ? autoPolicyReason : null);
        boolean challenged = challengeRequired(now);
        json.put("challenge_required_until", challenged ? Timestamps.format(challengeRequiredUntil) : null);
        json.put("challenge_reason", challenged ? challengeReason : null);
        json.put("reputation_score", reputationScore);
        json.put("created_at", Timestamps.format(createdAt));
        json.put("updated_at", Timestamps.format(updatedAt));
        json.put("domain", domain);
        json.put("api_url", apiUrl);
        return json;
    }
}
