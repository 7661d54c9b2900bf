package org.loom.envelope.identity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.loom.protocol.kafka.IdentityChanged;

/**
 * An identity as the envelope-service knows it from the gateway's change records.
 *
 * @param identity     the identity URI
 * @param identityType its registered type ({@code human}, {@code agent}, ...)
 * @param keys         its signing keys, revoked ones included
 * @param changedAt    when the gateway committed the change this reflects
 */
public record KnownIdentity(String identity, String identityType, List<IdentityChanged.Key> keys, Instant changedAt) {

    public KnownIdentity {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(identityType, "identityType");
        keys = List.copyOf(keys);
        Objects.requireNonNull(changedAt, "changedAt");
    }
}
