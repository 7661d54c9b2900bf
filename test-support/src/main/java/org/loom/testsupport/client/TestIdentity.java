package org.loom.testsupport.client;

import java.util.Objects;

import org.loom.protocol.crypto.SigningKey;

/**
 * An identity a test registers and acts as, with its private signing key.
 *
 * @param identity the {@code loom://} address
 * @param keyId    the id its one signing key is registered under
 * @param key      the signing key
 */
public record TestIdentity(String identity, String keyId, SigningKey key) {

    public TestIdentity {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
    }

    /** A human identity with a fresh key registered as {@code k_sign_1}. */
    public static TestIdentity generate(String identity) {
        return new TestIdentity(identity, "k_sign_1", SigningKey.generate());
    }
}
