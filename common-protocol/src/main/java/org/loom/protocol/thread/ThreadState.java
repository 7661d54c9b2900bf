package org.loom.protocol.thread;

import java.util.Optional;

/**
 * The lifecycle state of a thread. Only {@link #LOCKED} restricts what may be posted (thread operations only);
 * {@link #ARCHIVED} and {@link #MERGED} are final.
 */
public enum ThreadState {
    ACTIVE("active"),
    RESOLVED("resolved"),
    ARCHIVED("archived"),
    LOCKED("locked"),
    /** A fork whose conversation has been merged back into its parent thread (spec §11.4). */
    MERGED("merged");

    private final String wireName;

    ThreadState(String wireName) {
        this.wireName = wireName;
    }

    /** The state as written on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The state with this exact wire name, or empty. */
    public static Optional<ThreadState> fromWire(String wireName) {
        for (ThreadState state : values()) {
            if (state.wireName.equals(wireName)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
