package org.loom.protocol.thread;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import tools.jackson.databind.JsonNode;

/**
 * The preconditions a thread operation may state (spec §11.3): the states the thread must be in and the capability
 * epoch it must have. An operation whose preconditions do not hold is refused, which is also how conflicting
 * operations resolve (spec §11.7): operations are applied one at a time in {@code event_seq} order, so of two
 * operations written against the same state, the second finds it changed and is refused.
 *
 * <p>They are read from {@code content.structured.parameters.preconditions}, or from
 * {@code content.structured.preconditions} when the parameters carry none.
 *
 * @param threadStateIn the states allowed, or empty for any
 * @param capEpoch      the required capability epoch, or empty for any
 */
public record OperationPreconditions(Optional<List<ThreadState>> threadStateIn, Optional<Long> capEpoch) {

    /** No preconditions. */
    public static final OperationPreconditions NONE = new OperationPreconditions(Optional.empty(), Optional.empty());

    public OperationPreconditions {
        threadStateIn = threadStateIn.map(List::copyOf);
    }

    /**
     * Reads the preconditions of an operation's {@code content.structured} object.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} with the offending field when they are malformed
     */
    public static OperationPreconditions of(JsonNode structured) {
        JsonNode value = structured == null ? null : structured.path("parameters").get("preconditions");
        String field = "content.structured.parameters.preconditions";
        if (value == null || value.isNull()) {
            value = structured == null ? null : structured.get("preconditions");
            field = "content.structured.preconditions";
        }
        if (value == null || value.isNull()) {
            return NONE;
        }
        if (!value.isObject()) {
            throw LoomException.invalid("Thread operation preconditions must be an object",
                    LoomException.details("field", field));
        }
        Optional<List<ThreadState>> states = Optional.empty();
        JsonNode statesNode = value.get("thread_state_in");
        if (statesNode != null && !statesNode.isNull()) {
            if (!statesNode.isArray()) {
                throw malformed(field + ".thread_state_in", "must be an array of thread states");
            }
            List<ThreadState> list = new ArrayList<>();
            String statesField = field + ".thread_state_in";
            for (JsonNode entry : statesNode) {
                String name = entry.isString() ? entry.stringValue() : null;
                list.add(ThreadState.fromWire(name).orElseThrow(() ->
                        malformed(statesField, "must be an array of thread states")));
            }
            states = Optional.of(list);
        }
        Optional<Long> epoch = Optional.empty();
        JsonNode epochNode = value.get("cap_epoch");
        if (epochNode != null && !epochNode.isNull()) {
            if (!epochNode.isIntegralNumber() || !epochNode.canConvertToLong() || epochNode.longValue() < 0) {
                throw malformed(field + ".cap_epoch", "must be a non-negative integer");
            }
            epoch = Optional.of(epochNode.longValue());
        }
        return new OperationPreconditions(states, epoch);
    }

    /**
     * Throws unless the thread meets the preconditions.
     *
     * @throws LoomException {@code STATE_TRANSITION_INVALID} "Thread operation precondition not met"
     *                       {@code {thread_id, precondition, expected, actual}}
     */
    public void requireMetBy(String threadId, ThreadState state, long threadCapEpoch) {
        if (threadStateIn.isPresent() && !threadStateIn.get().contains(state)) {
            throw unmet(threadId, "thread_state_in",
                    threadStateIn.get().stream().map(ThreadState::wireName).toList(), state.wireName());
        }
        if (capEpoch.isPresent() && capEpoch.get() != threadCapEpoch) {
            throw unmet(threadId, "cap_epoch", capEpoch.get(), threadCapEpoch);
        }
    }

    private static LoomException unmet(String threadId, String precondition, Object expected, Object actual) {
        return new LoomException(ErrorCode.STATE_TRANSITION_INVALID, "Thread operation precondition not met",
                LoomException.details("thread_id", threadId, "precondition", precondition, "expected", expected,
                        "actual", actual));
    }

    private static LoomException malformed(String field, String reason) {
        return LoomException.invalid("Thread operation preconditions are malformed",
                LoomException.details("field", field, "reason", reason));
    }
}
