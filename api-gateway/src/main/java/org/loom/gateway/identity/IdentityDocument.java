package org.loom.gateway.identity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.IdentityChanged;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An identity as this node stores and serves it: its type, display name and every signing key ever bound to it.
 *
 * @param id          the identity URI
 * @param type        its kind
 * @param displayName the name shown to people; the id when none was given
 * @param keys        its signing keys in the order they were bound, revoked ones included
 * @param createdAt   when this node registered it
 * @param updatedAt   when it last changed
 */
public record IdentityDocument(
        String id, IdentityType type, String displayName, List<BoundKey> keys, Instant createdAt, Instant updatedAt) {

    public IdentityDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(displayName, "displayName");
        keys = List.copyOf(keys);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * A signing key bound to the identity.
     *
     * @param keyId     the key id, unique within the identity
     * @param key       the Ed25519 public key
     * @param createdAt when it was bound
     * @param revokedAt when it was revoked; null while it is active
     */
    public record BoundKey(String keyId, VerifyingKey key, Instant createdAt, Instant revokedAt) {

        public BoundKey {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        public boolean active() {
            return revokedAt == null;
        }

        /** {@code active} or {@code revoked}, the words the identity document and the identity topic use. */
        public String status() {
            return active() ? IdentityChanged.Key.ACTIVE : IdentityChanged.Key.REVOKED;
        }
    }

    /** The key with this id, active or not. */
    public Optional<BoundKey> key(String keyId) {
        return keys.stream().filter(key -> key.keyId().equals(keyId)).findFirst();
    }

    public long activeKeyCount() {
        return keys.stream().filter(BoundKey::active).count();
    }

    /**
     * The document as the identity routes return it: {@code {id, type, display_name, signing_keys, created_at,
     * updated_at}}, each key as {@code {key_id, public_key_pem, status}} plus {@code revoked_at} once revoked.
     */
    public ObjectNode toJson() {
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("id", id);
        json.put("type", type.wireName());
        json.put("display_name", displayName);
        ArrayNode signingKeys = json.putArray("signing_keys");
        for (BoundKey key : keys) {
            ObjectNode entry = signingKeys.addObject();
            entry.put("key_id", key.keyId());
            entry.put("public_key_pem", key.key().toSpkiPem());
            entry.put("status", key.status());
            if (!key.active()) {
                entry.put("revoked_at", Timestamps.format(key.revokedAt()));
            }
        }
        json.put("created_at", Timestamps.format(createdAt));
        json.put("updated_at", Timestamps.format(updatedAt));
        return json;
    }

    /** The view other checks in the gateway need: type and keys. */
    public IdentityDirectory.RegisteredIdentity toRegisteredIdentity() {
        return new IdentityDirectory.RegisteredIdentity(id, type.wireName(), keys.stream()
                .map(key -> new IdentityDirectory.IdentityKey(key.keyId(), key.key(), key.active()))
                .toList());
    }

    /** The whole state as the identity topic carries it. */
    public IdentityChanged toChange(String messageId) {
        return new IdentityChanged(messageId, id, type.wireName(), keys.stream()
                .map(key -> new IdentityChanged.Key(key.keyId(), key.key().toSpkiPem(), key.status()))
                .toList(), false, updatedAt);
    }
}
