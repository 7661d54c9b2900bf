package org.loom.protocol.thread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;

class OperationPreconditionsTest {

    @Test
    void absentPreconditionsHoldForEveryThread() {
        OperationPreconditions none = OperationPreconditions.of(structured("{\"parameters\":{}}"));

        none.requireMetBy("thr_1", ThreadState.LOCKED, 7);
        assertThat(none).isEqualTo(OperationPreconditions.NONE);
    }

    @Test
    void stateAndEpochMustBothMatch() {
        OperationPreconditions preconditions = OperationPreconditions.of(structured(
                "{\"parameters\":{\"preconditions\":{\"thread_state_in\":[\"active\",\"resolved\"],\"cap_epoch\":2}}}"));

        preconditions.requireMetBy("thr_1", ThreadState.RESOLVED, 2);
        assertThatThrownBy(() -> preconditions.requireMetBy("thr_1", ThreadState.LOCKED, 2))
                .isInstanceOfSatisfying(LoomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STATE_TRANSITION_INVALID);
                    assertThat(e.details()).containsEntry("precondition", "thread_state_in")
                            .containsEntry("actual", "locked");
                });
        assertThatThrownBy(() -> preconditions.requireMetBy("thr_1", ThreadState.ACTIVE, 3))
                .isInstanceOfSatisfying(LoomException.class, e -> assertThat(e.details())
                        .containsEntry("precondition", "cap_epoch").containsEntry("expected", 2L));
    }

    @Test
    void preconditionsBesideTheParametersAreReadToo() {
        OperationPreconditions preconditions = OperationPreconditions.of(structured(
                "{\"preconditions\":{\"cap_epoch\":0}}"));

        assertThatThrownBy(() -> preconditions.requireMetBy("thr_1", ThreadState.ACTIVE, 1))
                .isInstanceOf(LoomException.class);
    }

    @Test
    void malformedPreconditionsAreClientErrors() {
        for (String bad : new String[] {"{\"preconditions\":[]}", "{\"preconditions\":{\"thread_state_in\":\"active\"}}",
                "{\"preconditions\":{\"thread_state_in\":[\"closed\"]}}", "{\"preconditions\":{\"cap_epoch\":-1}}",
                "{\"preconditions\":{\"cap_epoch\":1.5}}"}) {
            assertThatThrownBy(() -> OperationPreconditions.of(structured(bad))).as(bad)
                    .isInstanceOfSatisfying(LoomException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID));
        }
    }

    private static JsonNode structured(String json) {
        return LoomJson.parse(json);
    }
}
