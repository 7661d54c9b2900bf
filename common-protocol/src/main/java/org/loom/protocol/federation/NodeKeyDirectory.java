package org.loom.protocol.federation;

import java.util.Optional;
import org.loom.protocol.crypto.VerifyingKey;

/**
 * The federation node registry as signature checks see it: which nodes are known and their signing keys.
 */
public interface NodeKeyDirectory {

    /** True when the node is registered. */
    boolean isKnownNode(String nodeId);

    /** The node's signing key with this id, if the node has one. */
    Optional<VerifyingKey> signingKey(String nodeId, String keyId);
}
