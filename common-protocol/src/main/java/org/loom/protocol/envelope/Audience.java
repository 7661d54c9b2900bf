package org.loom.protocol.envelope;

import java.util.List;
import java.util.Objects;

/**
 * An envelope's {@code audience}: who may see it.
 *
 * @param mode       the audience mode
 * @param identities the listed identities, as sent; validated as addresses only for the {@code custom} mode, which
 *                   is the only mode that reads them
 */
public record Audience(AudienceMode mode, List<String> identities) {

    public Audience {
        Objects.requireNonNull(mode, "mode");
        identities = List.copyOf(identities);
    }
}
