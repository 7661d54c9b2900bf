package org.loom.gateway.identity;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of identity a node registers (spec §6.3). Node identities are the node's own and never registered. */
public enum IdentityType {
    HUMAN("human"),
    AGENT("agent"),
    TEAM("team"),
    SERVICE("service"),
    BRIDGE("bridge");

    private final String wireName;

    IdentityType(String wireName) {
        this.wireName = wireName;
    }

    /** The name as it appears in identity documents and in an envelope's {@code from.type}. */
    public String wireName() {
        return wireName;
    }

    /** The type with this wire name; names are case-sensitive, as every protocol string is. */
    public static Optional<IdentityType> fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }
}
