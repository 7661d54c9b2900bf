package org.loom.protocol.delegation;

import java.util.List;
import java.util.Optional;
import org.loom.protocol.crypto.VerifyingKey;

/**
 * What chain verification needs to know about identities and revocations, whatever stores them.
 */
public interface DelegationDirectory {

    /** True when the identity is registered with this node. */
    boolean isKnownIdentity(String identity);

    /** The ids of the identity's active signing keys; empty for an unknown identity. */
    List<String> signingKeyIds(String identity);

    /**
     * The identity's own active signing key with this id. Keys registered to other identities must not be returned:
     * a delegation is only as good as the binding of its key to the delegator.
     */
    Optional<VerifyingKey> signingKey(String identity, String keyId);

    /** True when the delegation with this id has been revoked. */
    boolean isRevoked(String delegationId);
}
