package org.loom.protocol.envelope;

import java.util.Optional;

/**
 * The core envelope types of the protocol registry (spec §9.1). Envelopes of other types are valid and are stored
 * and relayed as sent, which is why an envelope's type is a string; this enum names the ones the protocol defines.
 */
public enum EnvelopeType {
    MESSAGE("message"),
    TASK("task"),
    APPROVAL("approval"),
    EVENT("event"),
    NOTIFICATION("notification"),
    HANDOFF("handoff"),
    DATA("data"),
    RECEIPT("receipt"),
    WORKFLOW("workflow"),
    THREAD_OP("thread_op");

    private final String wireName;

    EnvelopeType(String wireName) {
        this.wireName = wireName;
    }

    /** The value as written on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The constant with this exact wire name, or empty. */
    public static Optional<EnvelopeType> fromWire(String wireName) {
        for (EnvelopeType value : values()) {
            if (value.wireName.equals(wireName)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
