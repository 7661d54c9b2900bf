package org.loom.gateway.identity;

import java.util.List;
import java.util.Optional;

import org.loom.protocol.crypto.VerifyingKey;

/** Read access to the identities registered on this node, for checks that need an identity's type and keys. */
public interface IdentityDirectory {

    Optional<RegisteredIdentity> find(String identity);

    /**
     * An identity as the node knows it.
     *
     * @param id   the identity URI
     * @param type {@code human}, {@code agent}, {@code team}, {@code service} or {@code bridge}
     * @param keys every signing key ever bound to it, revoked ones included (marked)
     */
    record RegisteredIdentity(String id, String type, List<IdentityKey> keys) {

        public RegisteredIdentity {
            keys = List.copyOf(keys);
        }

        /** The active key with this id; a revoked or unknown key id gives empty. */
        public Optional<IdentityKey> activeKey(String keyId) {
            return keys.stream().filter(key -> key.keyId().equals(keyId) && key.active()).findFirst();
        }
    }

    /** A signing key bound to one identity; key ids are unique per identity, not node-wide. */
    record IdentityKey(String keyId, VerifyingKey key, boolean active) {
    }
}
