package org.loom.protocol.envelope;

import java.util.Objects;
import org.loom.protocol.address.LoomAddress;

/**
 * One entry of an envelope's {@code to[]}.
 *
 * @param identity who receives the envelope
 * @param role     how they are addressed
 */
public record Recipient(LoomAddress identity, RecipientRole role) {

    public Recipient {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(role, "role");
    }
}
