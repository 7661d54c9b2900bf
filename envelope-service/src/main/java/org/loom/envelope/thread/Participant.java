package org.loom.envelope.thread;

import java.util.Objects;
import java.util.Optional;

/**
 * A participant of a thread.
 *
 * @param identity the participant's identity URI
 * @param role     {@link #OWNER}, {@link #PARTICIPANT} or any role an operation gave
 * @param joinedAt when the participant joined, in the spelling of the envelope that added them
 * @param leftAt   when the participant left; empty while they are in the thread
 */
public record Participant(String identity, String role, String joinedAt, Optional<String> leftAt) {

    /** Owners may perform every thread operation without a capability. */
    public static final String OWNER = "owner";
    /** The role of every recipient of a thread's first envelope. */
    public static final String PARTICIPANT = "participant";

    public Participant {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(joinedAt, "joinedAt");
        Objects.requireNonNull(leftAt, "leftAt");
    }

    /** A participant who has not left. */
    public boolean active() {
        return leftAt.isEmpty();
    }

    /** An owner who has not left. */
    public boolean activeOwner() {
        return active() && OWNER.equals(role);
    }
}
