package org.loom.protocol.capability;

import java.util.Objects;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.envelope.Priority;
import org.loom.protocol.thread.ThreadOpIntent;

/**
 * A thread operation that a non-owner wants to perform with a capability token, and the thread state it is judged
 * against.
 *
 * @param actor          the authenticated identity performing the operation
 * @param intent         the operation's intent, e.g. {@code thread.resolve@v1}
 * @param requiredGrant  the grant the intent needs
 * @param threadId       the thread operated on
 * @param threadCapEpoch the thread's current capability epoch
 * @param envelopeType   the type of the envelope carrying the operation
 * @param priority       the envelope's priority
 */
public record CapabilityUse(
        String actor,
        String intent,
        String requiredGrant,
        String threadId,
        long threadCapEpoch,
        String envelopeType,
        Priority priority) {

    public CapabilityUse {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(requiredGrant, "requiredGrant");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(envelopeType, "envelopeType");
        Objects.requireNonNull(priority, "priority");
    }

    /**
     * The use a {@code thread_op} envelope makes of a token: its intent and the grant that intent needs, its thread,
     * type and priority ({@code normal} when it sets none).
     */
    public static CapabilityUse forThreadOp(Envelope envelope, String actor, long threadCapEpoch) {
        String intent = envelope.intent().orElse("");
        return new CapabilityUse(actor, intent, ThreadOpIntent.requiredGrant(intent), envelope.threadId(),
                threadCapEpoch, envelope.type(), envelope.priority().orElse(Priority.NORMAL));
    }
}
