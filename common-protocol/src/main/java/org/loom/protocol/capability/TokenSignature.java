package org.loom.protocol.capability;

import java.util.Objects;
import org.loom.protocol.crypto.Signature;

/**
 * The signature block of a capability token: the issuing node's Ed25519 signature and the id of the key that made it.
 *
 * @param algorithm always {@code Ed25519} for tokens this node issues
 * @param keyId     the node signing key's id
 * @param value     the signature
 */
public record TokenSignature(String algorithm, String keyId, Signature value) {

    /** The only algorithm tokens are signed with. */
    public static final String ED25519 = "Ed25519";

    public TokenSignature {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(value, "value");
    }
}
