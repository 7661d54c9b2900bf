package org.loom.gateway.node;

import java.util.Objects;

import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;

/**
 * The node's one signing key and the id it is published under in the node document.
 *
 * @param keyId the key id, e.g. {@code k_node_sign_local_1}
 * @param key   the Ed25519 private key
 */
public record NodeSigningKey(String keyId, SigningKey key) {

    public NodeSigningKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
    }

    public VerifyingKey verifyingKey() {
        return key.verifyingKey();
    }
}
