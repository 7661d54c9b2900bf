package org.loom.envelope.thread.op;

import java.util.Objects;
import org.loom.protocol.thread.ThreadOpIntent;
import org.loom.protocol.thread.ThreadStateMachine;

/**
 * Resolve, archive, lock and reopen: they move the thread to another lifecycle state when the state machine allows
 * it from the current one, and refuse with {@code STATE_TRANSITION_INVALID} otherwise.
 */
public final class LifecycleOperation implements ThreadOperation {

    private final ThreadOpIntent intent;

    public LifecycleOperation(ThreadOpIntent intent) {
        this.intent = Objects.requireNonNull(intent, "intent");
        if (!ThreadStateMachine.changesState(intent)) {
            throw new IllegalArgumentException(intent.wireName() + " does not change a thread's state");
        }
    }

    @Override
    public ThreadOpIntent intent() {
        return intent;
    }

    @Override
    public ThreadOperationOutcome apply(ThreadOperationRequest request) {
        var thread = request.thread();
        return request.withThread(thread.withState(ThreadStateMachine.transition(thread.id(), thread.state(), intent)));
    }
}
