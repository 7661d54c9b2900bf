package org.loom.envelope.thread.op;

import java.util.Objects;
import org.loom.envelope.thread.Participants;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.protocol.envelope.Envelope;

/**
 * A {@code thread_op} envelope about to be applied.
 *
 * @param envelope     the operation envelope
 * @param actor        the authenticated identity that submitted it
 * @param thread       the locked thread, before the operation
 * @param participants its participants, before the operation
 */
public record ThreadOperationRequest(Envelope envelope, String actor, ThreadRecord thread, Participants participants) {

    public ThreadOperationRequest {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(participants, "participants");
    }

    /** The outcome of an operation that changes the thread row only. */
    public ThreadOperationOutcome withThread(ThreadRecord next) {
        return new ThreadOperationOutcome(next, participants);
    }
}
