package org.loom.protocol.envelope;

import java.util.Optional;

/**
 * How a recipient is addressed ({@code to[].role}): as To, as Cc, as a read-only participant, or as Bcc.
 */
public enum RecipientRole {
    PRIMARY("primary"),
    CC("cc"),
    OBSERVER("observer"),
    BCC("bcc");

    private final String wireName;

    RecipientRole(String wireName) {
        this.wireName = wireName;
    }

    /** The value as written on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The constant with this exact wire name, or empty. */
    public static Optional<RecipientRole> fromWire(String wireName) {
        for (RecipientRole value : values()) {
            if (value.wireName.equals(wireName)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
