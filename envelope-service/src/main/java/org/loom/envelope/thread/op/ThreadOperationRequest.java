package org.loom.envelope.thread.op;

import java.util.Objects;
import java.util.Optional;
import org.loom.envelope.capability.StoredCapability;
import org.loom.envelope.thread.Participants;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.protocol.envelope.Envelope;
import tools.jackson.databind.JsonNode;

/**
 * A {@code thread_op} envelope about to be applied.
 *
 * @param envelope     the operation envelope
 * @param actor        the authenticated identity that submitted it
 * @param thread       the locked thread, before the operation
 * @param participants its participants, before the operation
 * @param capability   the capability token that authorised it; empty when an owner performs it
 */
public record ThreadOperationRequest(Envelope envelope, String actor, ThreadRecord thread, Participants participants,
        Optional<StoredCapability> capability) {

    public ThreadOperationRequest {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(participants, "participants");
        Objects.requireNonNull(capability, "capability");
    }

    /** The outcome of an operation that changes the thread row only. */
    public ThreadOperationOutcome withThread(ThreadRecord next) {
        return new ThreadOperationOutcome(next, participants);
    }

    /** The operation's {@code content.structured.parameters} (an empty node when absent). */
    public JsonNode parameters() {
        return envelope.parameters();
    }

    /** True when an active owner performs the operation or its token holds the grant (or {@code admin}). */
    public boolean actsWithGrant(String grant) {
        return participants.isActiveOwner(actor) || capability.map(c -> c.token().hasGrant(grant)).orElse(false);
    }
}
