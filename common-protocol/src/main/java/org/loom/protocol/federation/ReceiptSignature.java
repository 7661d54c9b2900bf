package org.loom.protocol.federation;

import java.util.Objects;
import org.loom.protocol.crypto.Signature;

/**
 * The signature block of a delivery receipt: the receiving node's Ed25519 signature and its federation key id.
 *
 * @param algorithm {@code Ed25519}
 * @param keyId     the node's federation signing key id
 * @param value     the signature
 */
public record ReceiptSignature(String algorithm, String keyId, Signature value) {

    /** The only algorithm receipts are signed with. */
    public static final String ED25519 = "Ed25519";

    public ReceiptSignature {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(value, "value");
    }
}
