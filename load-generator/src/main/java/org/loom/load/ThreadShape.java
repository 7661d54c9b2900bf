package org.loom.load;

import java.util.Locale;

/** How the envelopes of one generated thread hang together. */
public enum ThreadShape {
    /** A thread of one envelope: every submission opens a new thread. */
    NEW,
    /** A chain: each envelope replies to the one before it. */
    DEEP,
    /** Fan-out: every reply answers the thread's first envelope. */
    WIDE,
    /** One long thread, each reply answering one of the most recent envelopes (the render-thread scenario). */
    LONG;

    /** The name used in {@code --mix} and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
