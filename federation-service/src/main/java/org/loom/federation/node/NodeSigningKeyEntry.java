package org.loom.federation.node;

import java.util.Objects;

/**
 * One signing key a federated node registered.
 *
 * @param keyId        the key id it signs with ({@code x-loom-key-id})
 * @param publicKeyPem its Ed25519 public key, SPKI PEM
 */
public record NodeSigningKeyEntry(String keyId, String publicKeyPem) {

    public NodeSigningKeyEntry {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(publicKeyPem, "publicKeyPem");
    }
}
