package org.loom.email.bridge;

import java.util.Objects;
import org.loom.protocol.crypto.SigningKey;

/**
 * The node's identity as the bridge uses it: its id (the domain of made-up message ids) and the node signing key
 * that signs every bridged envelope (one node key for everything the node signs).
 *
 * @param nodeId the node id ({@code LOOM_NODE_ID})
 * @param keyId  the id the node key is published under ({@code LOOM_NODE_SIGNING_KEY_ID})
 * @param key    the node signing key
 */
public record NodeSigner(String nodeId, String keyId, SigningKey key) {

    public NodeSigner {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
    }

    /** The message id the node gives an envelope in email: {@code envelopeId@nodeId}. */
    public String messageIdOf(String envelopeId) {
        return envelopeId + "@" + nodeId;
    }
}
