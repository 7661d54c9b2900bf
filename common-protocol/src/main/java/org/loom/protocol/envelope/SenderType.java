package org.loom.protocol.envelope;

import java.util.Optional;

/**
 * What kind of party signs an envelope ({@code from.type}). Agents must carry a delegation chain.
 */
public enum SenderType {
    HUMAN("human"),
    AGENT("agent"),
    TEAM("team"),
    SERVICE("service"),
    BRIDGE("bridge");

    private final String wireName;

    SenderType(String wireName) {
        this.wireName = wireName;
    }

    /** The value as written on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The constant with this exact wire name, or empty. */
    public static Optional<SenderType> fromWire(String wireName) {
        for (SenderType value : values()) {
            if (value.wireName.equals(wireName)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
