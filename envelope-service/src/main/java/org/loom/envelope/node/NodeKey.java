package org.loom.envelope.node;

import java.util.Objects;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.receipt.NodeReceipts;

/**
 * The node's signing key as the envelope-service uses it: to sign the capability tokens it issues, to check the
 * signature of a token presented in full, and to sign the thread operations the node records itself (a revocation
 * made through {@code DELETE /v1/capabilities/{id}}, a single-use token spent).
 *
 * @param identity the identity those recorded operations are sent from, {@code loom://node@<node id>}
 * @param keyId    the key's id, as the node document publishes it
 * @param key      the private key
 */
public record NodeKey(String identity, String keyId, SigningKey key) {

    public NodeKey {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
    }

    /** The identity the node records operations as; a node id that is not a domain falls back to a fixed one. */
    public static String identityFor(String nodeId) {
        return NodeReceipts.nodeIdentity(nodeId);
    }

    public VerifyingKey verifyingKey() {
        return key.verifyingKey();
    }
}
