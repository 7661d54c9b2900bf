package org.loom.protocol.envelope;

import java.util.Optional;

/**
 * Who may see an envelope ({@code audience.mode}): the thread's participants, only the sender and the recipients,
 * or the sender and a listed set.
 */
public enum AudienceMode {
    THREAD("thread"),
    RECIPIENTS("recipients"),
    CUSTOM("custom");

    private final String wireName;

    AudienceMode(String wireName) {
        this.wireName = wireName;
    }

    /** The value as written on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The constant with this exact wire name, or empty. */
    public static Optional<AudienceMode> fromWire(String wireName) {
        for (AudienceMode value : values()) {
            if (value.wireName.equals(wireName)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
