package org.loom.delivery.node;

import java.util.Objects;
import org.loom.protocol.crypto.SigningKey;

/**
 * The node's signing key as this service uses it: webhook deliveries are signed with it, under the id the node
 * document publishes it with, so receivers verify them with the node's published key.
 */
public record NodeKey(String nodeId, String keyId, SigningKey key) {

    public NodeKey {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
    }
}
