package org.loom.load;

import java.util.Objects;

import org.loom.protocol.crypto.SigningKey;

/**
 * An identity the generator registers and speaks for.
 *
 * @param address the {@code loom://} identity
 * @param keyId   its one signing key's id
 * @param key     the private key, kept only in this process
 */
public record LoadIdentity(String address, String keyId, SigningKey key) {

    public static final String KEY_ID = "k_load_1";

    public LoadIdentity {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
    }

    /** A fresh identity {@code loom://load-<run>-<index>@<domain>} with a new key. */
    public static LoadIdentity generate(String run, int index, String domain) {
        return new LoadIdentity("loom://load-" + run + "-" + index + "@" + domain, KEY_ID, SigningKey.generate());
    }
}
