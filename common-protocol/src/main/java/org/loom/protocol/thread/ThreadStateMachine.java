package org.loom.protocol.thread;

import java.util.EnumSet;
import java.util.Set;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

/**
 * Which thread operations move a thread between states, and from where.
 *
 * <pre>
 *   resolve   active            → resolved
 *   archive   resolved          → archived
 *   lock      active, resolved  → locked
 *   reopen    resolved, locked  → active
 *   merge     active, resolved  → merged   (applied to the fork being merged)
 * </pre>
 *
 * <p>{@code archived} and {@code merged} are final: nothing leads out of them, not even a reopen. Intents that do not
 * concern the lifecycle (membership, labels, links, capabilities, ...) leave the state as it is, in every state.
 */
public final class ThreadStateMachine {

    private ThreadStateMachine() {
    }

    /**
     * The state a thread is in after the operation.
     *
     * @param threadId the thread, named in the error
     * @param from     its current state
     * @param intent   the operation
     * @throws LoomException {@code STATE_TRANSITION_INVALID} "Cannot transition thread &lt;id&gt; from &lt;s&gt; to
     *                       &lt;t&gt;" with details {@code thread_id}, {@code current_state}, {@code next_state} when
     *                       the operation does not apply in the current state
     */
    public static ThreadState transition(String threadId, ThreadState from, ThreadOpIntent intent) {
        return switch (intent) {
            case RESOLVE -> move(threadId, from, ThreadState.RESOLVED, EnumSet.of(ThreadState.ACTIVE));
            case ARCHIVE -> move(threadId, from, ThreadState.ARCHIVED, EnumSet.of(ThreadState.RESOLVED));
            case LOCK -> move(threadId, from, ThreadState.LOCKED,
                    EnumSet.of(ThreadState.ACTIVE, ThreadState.RESOLVED));
            case REOPEN -> move(threadId, from, ThreadState.ACTIVE,
                    EnumSet.of(ThreadState.RESOLVED, ThreadState.LOCKED));
            case MERGE -> move(threadId, from, ThreadState.MERGED,
                    EnumSet.of(ThreadState.ACTIVE, ThreadState.RESOLVED));
            default -> from;
        };
    }

    /** True when the intent changes a thread's lifecycle state (when it applies at all). */
    public static boolean changesState(ThreadOpIntent intent) {
        return switch (intent) {
            case RESOLVE, ARCHIVE, LOCK, REOPEN, MERGE -> true;
            default -> false;
        };
    }

    private static ThreadState move(String threadId, ThreadState from, ThreadState to, Set<ThreadState> allowedFrom) {
        if (!allowedFrom.contains(from)) {
            throw new LoomException(ErrorCode.STATE_TRANSITION_INVALID,
                    "Cannot transition thread " + threadId + " from " + from.wireName() + " to " + to.wireName(),
                    LoomException.details(
                            "thread_id", threadId,
                            "current_state", from.wireName(),
                            "next_state", to.wireName()));
        }
        return to;
    }
}
