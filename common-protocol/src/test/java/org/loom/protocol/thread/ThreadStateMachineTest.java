package org.loom.protocol.thread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.loom.protocol.thread.ThreadState.ACTIVE;
import static org.loom.protocol.thread.ThreadState.ARCHIVED;
import static org.loom.protocol.thread.ThreadState.LOCKED;
import static org.loom.protocol.thread.ThreadState.MERGED;
import static org.loom.protocol.thread.ThreadState.RESOLVED;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

class ThreadStateMachineTest {

    private static final String THREAD = "thr_01ARZ3NDEKTSV4RRFFQ69G5FAW";

    /** The lifecycle table: for each intent, the states it applies in and where it leads. */
    private static final Map<ThreadOpIntent, Map<ThreadState, ThreadState>> ALLOWED = new EnumMap<>(Map.of(
            ThreadOpIntent.RESOLVE, Map.of(ACTIVE, RESOLVED),
            ThreadOpIntent.ARCHIVE, Map.of(RESOLVED, ARCHIVED),
            ThreadOpIntent.LOCK, Map.of(ACTIVE, LOCKED, RESOLVED, LOCKED),
            ThreadOpIntent.REOPEN, Map.of(RESOLVED, ACTIVE, LOCKED, ACTIVE),
            ThreadOpIntent.MERGE, Map.of(ACTIVE, MERGED, RESOLVED, MERGED)));

    private static final Map<ThreadOpIntent, ThreadState> TARGET = new EnumMap<>(Map.of(
            ThreadOpIntent.RESOLVE, RESOLVED,
            ThreadOpIntent.ARCHIVE, ARCHIVED,
            ThreadOpIntent.LOCK, LOCKED,
            ThreadOpIntent.REOPEN, ACTIVE,
            ThreadOpIntent.MERGE, MERGED));

    @Test
    void lifecycleIntentsMoveExactlyAlongTheTable() {
        for (ThreadOpIntent intent : ALLOWED.keySet()) {
            for (ThreadState from : ThreadState.values()) {
                ThreadState expected = ALLOWED.get(intent).get(from);
                if (expected != null) {
                    assertThat(ThreadStateMachine.transition(THREAD, from, intent)).as(intent + " from " + from)
                            .isEqualTo(expected);
                } else {
                    LoomException refused = catchThrowableOfType(LoomException.class,
                            () -> ThreadStateMachine.transition(THREAD, from, intent));
                    assertThat(refused).as(intent + " from " + from).isNotNull();
                    assertThat(refused.code()).isEqualTo(ErrorCode.STATE_TRANSITION_INVALID);
                    assertThat(refused.details()).containsEntry("next_state", TARGET.get(intent).wireName());
                }
            }
        }
    }

    @Test
    void invalidTransitionNamesTheThreadAndBothStates() {
        LoomException refused = catchThrowableOfType(LoomException.class,
                () -> ThreadStateMachine.transition(THREAD, ACTIVE, ThreadOpIntent.ARCHIVE));

        assertThat(refused.code()).isEqualTo(ErrorCode.STATE_TRANSITION_INVALID);
        assertThat(refused.httpStatus()).isEqualTo(409);
        assertThat(refused.getMessage())
                .isEqualTo("Cannot transition thread thr_01ARZ3NDEKTSV4RRFFQ69G5FAW from active to archived");
        assertThat(refused.details()).containsExactly(
                Map.entry("thread_id", THREAD),
                Map.entry("current_state", "active"),
                Map.entry("next_state", "archived"));
    }

    @Test
    void archivedThreadsCannotBeReopened() {
        LoomException refused = catchThrowableOfType(LoomException.class,
                () -> ThreadStateMachine.transition(THREAD, ARCHIVED, ThreadOpIntent.REOPEN));

        assertThat(refused.getMessage())
                .isEqualTo("Cannot transition thread thr_01ARZ3NDEKTSV4RRFFQ69G5FAW from archived to active");
    }

    @Test
    void resolvingTwiceIsRefused() {
        ThreadState resolved = ThreadStateMachine.transition(THREAD, ACTIVE, ThreadOpIntent.RESOLVE);

        LoomException refused = catchThrowableOfType(LoomException.class,
                () -> ThreadStateMachine.transition(THREAD, resolved, ThreadOpIntent.RESOLVE));

        assertThat(refused.details()).containsEntry("current_state", "resolved").containsEntry("next_state",
                "resolved");
    }

    @Test
    void archivedAndMergedAreFinal() {
        for (ThreadState terminal : new ThreadState[] {ARCHIVED, MERGED}) {
            for (ThreadOpIntent intent : ThreadOpIntent.values()) {
                if (ThreadStateMachine.changesState(intent)) {
                    assertThat(catchThrowableOfType(LoomException.class,
                            () -> ThreadStateMachine.transition(THREAD, terminal, intent)))
                            .as(intent + " from " + terminal).isNotNull();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ThreadOpIntent.class, names = {"RESOLVE", "ARCHIVE", "LOCK", "REOPEN", "MERGE"},
            mode = EnumSource.Mode.EXCLUDE)
    void otherIntentsLeaveTheStateAsItIsInEveryState(ThreadOpIntent intent) {
        assertThat(ThreadStateMachine.changesState(intent)).isFalse();
        for (ThreadState state : ThreadState.values()) {
            assertThat(ThreadStateMachine.transition(THREAD, state, intent)).isEqualTo(state);
        }
    }

    @Test
    void statesHaveLowerCaseWireNames() {
        assertThat(ThreadState.values()).extracting(ThreadState::wireName)
                .containsExactly("active", "resolved", "archived", "locked", "merged");
        assertThat(ThreadState.fromWire("locked")).contains(LOCKED);
        assertThat(ThreadState.fromWire("Locked")).isEmpty();
        assertThat(ThreadState.fromWire(null)).isEmpty();
    }
}
