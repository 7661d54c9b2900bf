package org.loom.protocol.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DelegationScopeTest {

    @Test
    void envelopeActionIsTheTrimmedIntent() {
        assertThat(DelegationScope.envelopeAction("  calendar.schedule@v1 ", "task")).isEqualTo("calendar.schedule@v1");
    }

    @Test
    void envelopeActionFallsBackToTypeSendWhenIntentIsMissingOrBlank() {
        assertThat(DelegationScope.envelopeAction(null, "message")).isEqualTo("message.send@v1");
        assertThat(DelegationScope.envelopeAction("   ", "task")).isEqualTo("task.send@v1");
    }

    @Test
    void actionCandidatesIncludeTheUnversionedName() {
        assertThat(DelegationScope.actionCandidates("message.general@v1"))
                .containsExactly("message.general@v1", "message.general");
        assertThat(DelegationScope.actionCandidates("message.general@V12"))
                .containsExactly("message.general@V12", "message.general");
        assertThat(DelegationScope.actionCandidates("message.general")).containsExactly("message.general");
        assertThat(DelegationScope.actionCandidates("message@v1.general")).containsExactly("message@v1.general");
    }

    @ParameterizedTest(name = "scope {0} allows {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            *                          | anything.at.all@v3   | true
            calendar.*                 | calendar.schedule@v1 | true
            calendar.*                 | calendarX            | false
            calendar*                  | calendarX            | true
            calendar.*                 | calendar             | false
            message.general            | message.general@v1   | true
            message.general@v1         | message.general@v1   | true
            message.general@v2         | message.general@v1   | false
            message.general@v1         | message.general      | false
            message.general            | message.generalized  | false
            task.create;reply.routine  | reply.routine@v1     | true
            task.create;reply.routine  | reply.urgent@v1      | false
            message.send@v1            | message.send@v1      | true
            """)
    void allowsActionsByPattern(String scope, String action, boolean allowed) {
        assertThat(DelegationScope.allows(list(scope), action)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} ⊆ {1}: {2}, strict: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            calendar.read        | *                      | true  | true
            *                    | *                      | true  | false
            *                    | calendar.*             | false | false
            calendar.read        | calendar.*             | true  | true
            calendar.x*          | calendar.*             | true  | true
            calendar.*           | calendar.*             | true  | false
            calendar*            | calendar.*             | false | false
            calendar.read        | calendar.read          | true  | false
            calendar.read        | calendar.read;task.new | true  | true
            task.new;calendar.read | calendar.read;task.new | true | false
            calendar.read;task.x | calendar.read          | false | false
            calendar.read        | calendar.write         | false | false
            calendar.*;calendar.read | calendar.*         | true  | true
            """)
    void subsetAndStrictSubsetTable(String child, String parent, boolean subset, boolean strict) {
        assertThat(DelegationScope.isSubset(list(child), list(parent))).isEqualTo(subset);
        assertThat(DelegationScope.isStrictSubset(list(child), list(parent))).isEqualTo(strict);
    }

    @Test
    void duplicatesDoNotMakeAnEqualScopeStrict() {
        assertThat(DelegationScope.isStrictSubset(List.of("a.b", "a.b"), List.of("a.b"))).isFalse();
    }

    @Test
    void recognisesTheAllPattern() {
        assertThat(DelegationScope.containsAll(List.of("task.create", "*"))).isTrue();
        assertThat(DelegationScope.containsAll(List.of("task.*"))).isFalse();
    }

    private static List<String> list(String semicolonSeparated) {
        return Arrays.asList(semicolonSeparated.split(";"));
    }
}
