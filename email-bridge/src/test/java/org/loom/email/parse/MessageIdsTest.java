package org.loom.email.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void readsBracketedIdsAndIgnoresTextAroundThem() {
        assertThat(MessageIds.parse("<a@x.com> (comment) <b@y.com>")).containsExactly("a@x.com", "b@y.com");
        assertThat(MessageIds.parse("Your message of Monday <c@z.com>")).containsExactly("c@z.com");
    }

    @Test
    void splitsUnbracketedIdsOnWhiteSpaceAndCommas() {
        assertThat(MessageIds.parse("a@x.com, b@y.com\r\n c@z.com")).containsExactly("a@x.com", "b@y.com", "c@z.com");
    }

    @Test
    void removesRepeatsKeepingTheFirstPosition() {
        assertThat(MessageIds.parse("<a@x> <b@x> <a@x>")).containsExactly("a@x", "b@x");
        assertThat(MessageIds.parseAll(List.of("<a@x>", "<b@x> <a@x>"))).containsExactly("a@x", "b@x");
    }

    @Test
    void readsFoldedReferences() {
        assertThat(MessageIds.parse("<a@x>\r\n\t<b@x>")).containsExactly("a@x", "b@x");
    }

    @Test
    void blankTextHasNoIds() {
        assertThat(MessageIds.parse(null)).isEmpty();
        assertThat(MessageIds.parse(" ")).isEmpty();
        assertThat(MessageIds.first("<>")).isNull();
    }

    @Test
    void bracketsAnIdForAHeader() {
        assertThat(MessageIds.bracket("a@x")).isEqualTo("<a@x>");
        assertThat(MessageIds.bracket("<a@x>")).isEqualTo("<a@x>");
    }
}
