package org.loom.gateway.identity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.crypto.InvalidKeyException;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.error.LoomException;
import tools.jackson.databind.JsonNode;

/**
 * A validated {@code POST /v1/identity} body.
 *
 * <p>Keys may come in the reference node's form, {@code signing_keys[{key_id, public_key_pem}]}, in the
 * specification's form, {@code public_keys.signing[{key_id, public_key}]} with the raw key in base64url, or both.
 * Every key must be an Ed25519 public key: a private key sent by mistake is refused rather than reduced to its public
 * half, so the client learns that it exposed it.
 *
 * @param id          the identity URI, a valid {@code loom://} address
 * @param type        the requested type; empty when the body names none
 * @param displayName the requested display name; empty when the body gives none
 * @param keys        at least one key, key ids unique
 */
public record IdentityRegistration(
        String id, Optional<IdentityType> type, Optional<String> displayName, List<KeyBinding> keys) {

    /** Key ids are stored in a bounded column; no real key id comes near this. */
    static final int MAX_KEY_ID_LENGTH = 200;

    private static final String TYPES = "human, agent, team, service, bridge";

    public IdentityRegistration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(displayName, "displayName");
        keys = List.copyOf(keys);
    }

    /**
     * Reads and validates a request body.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} naming the offending field
     */
    public static IdentityRegistration fromJson(JsonNode body) {
        if (!body.isObject()) {
            throw LoomException.invalid("Identity document must be a JSON object", Map.of());
        }
        String id = identityId(body.get("id"));
        Optional<IdentityType> type = type(body.get("type"));
        Optional<String> displayName = displayName(body.get("display_name"));

        List<KeyBinding> keys = new ArrayList<>();
        Set<String> keyIds = new HashSet<>();
        JsonNode signingKeys = body.get("signing_keys");
        if (isPresent(signingKeys)) {
            if (!signingKeys.isArray()) {
                throw LoomException.invalid("signing_keys must be an array",
                        LoomException.details("field", "signing_keys"));
            }
            for (int i = 0; i < signingKeys.size(); i++) {
                String at = "signing_keys[" + i + "]";
                JsonNode entry = requireObject(signingKeys.get(i), at);
                String keyId = keyId(entry.get("key_id"), at + ".key_id", keyIds);
                VerifyingKey key = pemKey(entry.get("public_key_pem"), at + ".public_key_pem");
                keys.add(new KeyBinding(keyId, key, at + ".key_id"));
            }
        }
        JsonNode publicKeys = body.get("public_keys");
        if (isPresent(publicKeys)) {
            JsonNode signing = requireObject(publicKeys, "public_keys").get("signing");
            if (isPresent(signing)) {
                if (!signing.isArray()) {
                    throw LoomException.invalid("public_keys.signing must be an array",
                            LoomException.details("field", "public_keys.signing"));
                }
                for (int i = 0; i < signing.size(); i++) {
                    String at = "public_keys.signing[" + i + "]";
                    JsonNode entry = requireObject(signing.get(i), at);
                    String keyId = keyId(entry.get("key_id"), at + ".key_id", keyIds);
                    JsonNode algorithm = entry.get("algorithm");
                    if (isPresent(algorithm) && !"Ed25519".equals(algorithm.asString(null))) {
                        throw LoomException.invalid("Only Ed25519 signing keys are supported",
                                LoomException.details("field", at + ".algorithm"));
                    }
                    VerifyingKey key = rawKey(entry.get("public_key"), at + ".public_key");
                    keys.add(new KeyBinding(keyId, key, at + ".key_id"));
                }
            }
        }
        if (keys.isEmpty()) {
            throw LoomException.invalid("signing_keys must be a non-empty array of {key_id, public_key_pem}",
                    LoomException.details("field", "signing_keys"));
        }
        return new IdentityRegistration(id, type, displayName, keys);
    }

    /**
     * Reads the body of {@code POST /v1/identity/me/keys}: {@code {key_id, public_key_pem}}.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} naming the offending field
     */
    public static KeyBinding keyFromJson(JsonNode body) {
        if (!body.isObject()) {
            throw LoomException.invalid("Signing key must be a JSON object", Map.of());
        }
        String keyId = keyId(body.get("key_id"), "key_id", new HashSet<>());
        VerifyingKey key = pemKey(body.get("public_key_pem"), "public_key_pem");
        return new KeyBinding(keyId, key, "key_id");
    }

    private static String identityId(JsonNode node) {
        if (!isPresent(node) || !node.isString() || node.asString().isEmpty()) {
            throw LoomException.invalid("Identity id is required", LoomException.details("field", "id"));
        }
        String id = node.asString();
        LoomAddress address;
        try {
            address = LoomAddress.parse(id);
        } catch (IllegalArgumentException e) {
            throw LoomException.invalid("Identity id must be a loom:// address: " + e.getMessage(),
                    LoomException.details("field", "id"));
        }
        if (address.scheme() != LoomAddress.Scheme.LOOM) {
            throw LoomException.invalid("Bridge identities are created by the email bridge, not registered",
                    LoomException.details("field", "id"));
        }
        return id;
    }

    private static Optional<IdentityType> type(JsonNode node) {
        if (!isPresent(node)) {
            return Optional.empty();
        }
        Optional<IdentityType> type = node.isString() ? IdentityType.fromWireName(node.asString()) : Optional.empty();
        if (type.isEmpty()) {
            throw LoomException.invalid("Identity type must be one of " + TYPES, LoomException.details("field", "type"));
        }
        return type;
    }

    private static Optional<String> displayName(JsonNode node) {
        if (!isPresent(node)) {
            return Optional.empty();
        }
        if (!node.isString()) {
            throw LoomException.invalid("display_name must be a string", LoomException.details("field", "display_name"));
        }
        return node.asString().isEmpty() ? Optional.empty() : Optional.of(node.asString());
    }

    private static String keyId(JsonNode node, String field, Set<String> seen) {
        if (!isPresent(node) || !node.isString() || node.asString().isBlank()) {
            throw LoomException.invalid("Signing key id is required", LoomException.details("field", field));
        }
        String keyId = node.asString();
        if (keyId.length() > MAX_KEY_ID_LENGTH) {
            throw LoomException.invalid("Signing key id is longer than " + MAX_KEY_ID_LENGTH + " characters",
                    LoomException.details("field", field));
        }
        if (!storable(keyId)) {
            // PostgreSQL's driver writes an unpaired surrogate as '?', so two different ids would become one stored
            // id (a duplicate-key failure, or a key found under another id); a control character has no place in an
            // id carried in signatures and headers either.
            throw LoomException.invalid("Signing key id must not contain control characters or unpaired surrogates",
                    LoomException.details("field", field));
        }
        if (!seen.add(keyId)) {
            throw LoomException.invalid("Signing key id appears more than once: " + keyId,
                    LoomException.details("field", field));
        }
        return keyId;
    }

    /** True when the id has no control character and every surrogate is half of a pair. */
    static boolean storable(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= id.length() || !Character.isLowSurrogate(id.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static VerifyingKey pemKey(JsonNode node, String field) {
        if (!isPresent(node) || !node.isString()) {
            throw LoomException.invalid("Signing key public_key_pem is required", LoomException.details("field", field));
        }
        try {
            return VerifyingKey.fromSpkiPem(node.asString());
        } catch (InvalidKeyException e) {
            throw LoomException.invalid("Signing key is not an Ed25519 public key: " + e.getMessage(),
                    LoomException.details("field", field));
        }
    }

    private static VerifyingKey rawKey(JsonNode node, String field) {
        if (!isPresent(node) || !node.isString()) {
            throw LoomException.invalid("Signing key public_key is required", LoomException.details("field", field));
        }
        try {
            return VerifyingKey.fromRawBase64Url(node.asString());
        } catch (InvalidKeyException e) {
            throw LoomException.invalid("Signing key is not an Ed25519 public key: " + e.getMessage(),
                    LoomException.details("field", field));
        }
    }

    private static JsonNode requireObject(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw LoomException.invalid(field + " must be an object", LoomException.details("field", field));
        }
        return node;
    }

    private static boolean isPresent(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }
}
