package org.loom.envelope.thread.op;

import org.loom.protocol.thread.ThreadOpIntent;

/**
 * What one {@code thread_op} intent does to its thread. Each supported intent has one implementation, registered as a
 * bean; {@link ThreadOperations} finds it by {@link #intent()}.
 *
 * <p>An operation computes the thread's next state: it is called after the envelope has passed every other check,
 * inside the transaction that holds the thread's lock, and the caller stores what it returns. Operations whose effect
 * reaches beyond the thread row and its participants (a token revoked, a fork listed, a command for another thread)
 * write it themselves in that same transaction. A refusal is a thrown
 * {@link org.loom.protocol.error.LoomException}, which rolls everything back.
 */
public interface ThreadOperation {

    /** The intent this operation carries out. */
    ThreadOpIntent intent();

    /** The thread and its participants after the operation. */
    ThreadOperationOutcome apply(ThreadOperationRequest request);
}
