package org.loom.federation.config;

import java.util.Objects;
import org.loom.protocol.crypto.SigningKey;

/**
 * The node signing key and the id it is published under.
 *
 * @param keyId the key id
 * @param key   the Ed25519 private key
 */
public record NodeKey(String keyId, SigningKey key) {

    public NodeKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
    }
}
