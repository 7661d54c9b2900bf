package org.loom.federation.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.loom.protocol.crypto.InvalidKeyException;
import org.loom.protocol.crypto.VerifyingKey;

/**
 * An identity of another node, as its home node served it.
 *
 * @param identity the identity URI
 * @param nodeId   the registered node whose domain the identity belongs to
 * @param type     its identity type ({@code human}, {@code agent}, ...)
 * @param keys     its active signing keys
 * @param fetchedAt when it was fetched
 */
public record RemoteIdentity(String identity, String nodeId, String type, List<Key> keys, Instant fetchedAt) {

    public RemoteIdentity {
        keys = List.copyOf(keys);
    }

    /** An active signing key of the identity. */
    public record Key(String keyId, String publicKeyPem) {
    }

    public Optional<VerifyingKey> key(String keyId) {
        return keys.stream().filter(key -> key.keyId().equals(keyId)).findFirst().flatMap(key -> {
            try {
                return Optional.of(VerifyingKey.fromSpkiPem(key.publicKeyPem()));
            } catch (InvalidKeyException | IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }
}
