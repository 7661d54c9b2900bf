package org.loom.envelope.thread.op;

import java.util.Objects;
import org.loom.envelope.thread.Participants;
import org.loom.envelope.thread.ThreadRecord;

/** A thread and its participants as an operation leaves them. */
public record ThreadOperationOutcome(ThreadRecord thread, Participants participants) {

    public ThreadOperationOutcome {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(participants, "participants");
    }
}
