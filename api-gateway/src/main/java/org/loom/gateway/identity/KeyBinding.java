package org.loom.gateway.identity;

import java.util.Objects;

import org.loom.protocol.crypto.VerifyingKey;

/**
 * A signing key a client asks to bind to an identity.
 *
 * @param keyId the key id, unique within the identity
 * @param key   the Ed25519 public key
 * @param field where the key id was given in the request, for error details (e.g. {@code signing_keys[1].key_id})
 */
public record KeyBinding(String keyId, VerifyingKey key, String field) {

    public KeyBinding {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(field, "field");
    }
}
