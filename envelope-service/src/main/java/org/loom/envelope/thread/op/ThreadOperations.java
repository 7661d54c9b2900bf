package org.loom.envelope.thread.op;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.loom.envelope.capability.StoredCapability;
import org.loom.envelope.thread.Participants;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.thread.OperationPreconditions;
import org.loom.protocol.thread.ThreadOpIntent;
import org.springframework.stereotype.Component;

/**
 * Prepares {@code thread_op} envelopes: checks the intent is present, that the actor may perform it, that the node
 * supports it and that the operation's preconditions hold, in that order, and hands back the operation to apply once
 * the envelope has passed the remaining ingest checks.
 */
@Component
public class ThreadOperations {

    private final Map<ThreadOpIntent, ThreadOperation> byIntent = new EnumMap<>(ThreadOpIntent.class);
    private final ThreadOperationAuthorizer authorizer;

    public ThreadOperations(List<ThreadOperation> operations, ThreadOperationAuthorizer authorizer) {
        this.authorizer = authorizer;
        for (ThreadOperation operation : operations) {
            if (byIntent.putIfAbsent(operation.intent(), operation) != null) {
                throw new IllegalStateException("two operations for " + operation.intent().wireName());
            }
        }
    }

    /**
     * The operation the envelope asks for, checked but not applied.
     *
     * @param presentedHeader the {@code X-LOOM-Capability} header the envelope came with, or {@code null}
     * @throws LoomException {@code ENVELOPE_INVALID} without an intent or for an intent the node does not support;
     *                       {@code CAPABILITY_DENIED} when the actor may not perform it;
     *                       {@code STATE_TRANSITION_INVALID} when a precondition does not hold
     */
    public PreparedOperation prepare(Envelope envelope, String actor, ThreadRecord thread, Participants participants,
            String presentedHeader) {
        String intent = envelope.intent().orElseThrow(() -> LoomException.invalid(
                "thread_op requires content.structured.intent",
                LoomException.details("field", "content.structured.intent")));
        Optional<StoredCapability> capability =
                authorizer.authorize(envelope, actor, thread, participants, presentedHeader);
        ThreadOperation operation = ThreadOpIntent.fromWire(intent).map(byIntent::get).orElseThrow(() ->
                LoomException.invalid("Unsupported thread operation intent: " + intent,
                        LoomException.details("intent", intent)));
        OperationPreconditions.of(envelope.json().path("content").path("structured"))
                .requireMetBy(thread.id(), thread.state(), thread.capEpoch());
        return new PreparedOperation(operation, envelope, actor, capability);
    }

    /** A checked operation waiting for the thread state it applies to. */
    public record PreparedOperation(ThreadOperation operation, Envelope envelope, String actor,
            Optional<StoredCapability> capability) {

        public PreparedOperation {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(capability, "capability");
        }

        /** Applies the operation to the locked thread. */
        public ThreadOperationOutcome apply(ThreadRecord thread, Participants participants) {
            return operation.apply(new ThreadOperationRequest(envelope, actor, thread, participants, capability));
        }
    }
}
