package org.loom.protocol.envelope;

import java.util.Optional;

/**
 * The sender's urgency hint ({@code priority}).
 */
public enum Priority {
    LOW("low"),
    NORMAL("normal"),
    HIGH("high"),
    URGENT("urgent");

    private final String wireName;

    Priority(String wireName) {
        this.wireName = wireName;
    }

    /** The value as written on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The constant with this exact wire name, or empty. */
    public static Optional<Priority> fromWire(String wireName) {
        for (Priority value : values()) {
            if (value.wireName.equals(wireName)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
