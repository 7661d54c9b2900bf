package org.loom.email.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressListTest {

    private static List<String> addresses(String text) {
        return AddressList.parse(text).stream().map(EmailAddress::address).toList();
    }

    @Test
    void readsBareAddressesSeparatedByCommasAndSemicolons() {
        assertThat(addresses("a@x.com, b@y.org; c@z.net")).containsExactly("a@x.com", "b@y.org", "c@z.net");
    }

    @Test
    void takesTheAddressInsideAngleBracketsAndKeepsTheDisplayName() {
        List<EmailAddress> list = AddressList.parse("Alice Example <alice@example.com>");
        assertThat(list).containsExactly(new EmailAddress("Alice Example", "alice@example.com"));
    }

    @Test
    void keepsCommasInsideQuotedDisplayNames() {
        List<EmailAddress> list = AddressList.parse("\"Doe, John\" <john@example.com>, \"Roe; Jane\" <jane@example.com>");
        assertThat(list).containsExactly(
                new EmailAddress("Doe, John", "john@example.com"),
                new EmailAddress("Roe; Jane", "jane@example.com"));
    }

    @Test
    void resolvesEscapedQuotesInDisplayNames() {
        assertThat(AddressList.parse("\"The \\\"Boss\\\", CEO\" <boss@example.com>"))
                .containsExactly(new EmailAddress("The \"Boss\", CEO", "boss@example.com"));
    }

    @Test
    void readsTheMembersOfAGroupAndNotItsName() {
        assertThat(addresses("Team: a@x.com, Bob <b@x.com>;, c@y.com"))
                .containsExactly("a@x.com", "b@x.com", "c@y.com");
    }

    @Test
    void undisclosedRecipientsGroupNamesNobody() {
        assertThat(AddressList.parse("undisclosed-recipients:;")).isEmpty();
        assertThat(addresses("undisclosed-recipients:;, d@x.com")).containsExactly("d@x.com");
    }

    @Test
    void skipsCommentsAndUsesATrailingCommentAsTheNameOfABareAddress() {
        assertThat(AddressList.parse("alice@example.com (Alice (Sales))"))
                .containsExactly(new EmailAddress("Alice (Sales)", "alice@example.com"));
        assertThat(AddressList.parse("Bob (work) <bob@example.com (primary)>"))
                .containsExactly(new EmailAddress("Bob", "bob@example.com"));
    }

    @Test
    void decodesEncodedWordsInDisplayNames() {
        assertThat(AddressList.parse("=?UTF-8?B?SsO8cmdlbg==?= <jurgen@example.de>"))
                .containsExactly(new EmailAddress("Jürgen", "jurgen@example.de"));
        assertThat(AddressList.parse("=?ISO-8859-1?Q?Andr=E9?= Pirard <pirard@example.be>"))
                .containsExactly(new EmailAddress("André Pirard", "pirard@example.be"));
    }

    @Test
    void lowerCasesAddressesButKeepsTheDisplayNameCase() {
        assertThat(AddressList.parse("Big Co <Sales@Example.COM>"))
                .containsExactly(new EmailAddress("Big Co", "sales@example.com"));
    }

    @Test
    void dropsItemsWithoutAnAtSign() {
        assertThat(addresses("nobody, <>, @x.com, a@, real@x.com")).containsExactly("real@x.com");
    }

    @Test
    void stripsAnObsoleteSourceRoute() {
        assertThat(addresses("<@relay.example.net:user@example.com>")).containsExactly("user@example.com");
    }

    @Test
    void keepsLoomAndBridgeIdentitiesVerbatim() {
        assertThat(addresses("loom://alice@node.test, bridge://Bob@mail.test, Carol <loom://carol@node.test>"))
                .containsExactly("loom://alice@node.test", "bridge://Bob@mail.test", "loom://carol@node.test");
    }

    @Test
    void readsFoldedHeaderValuesWithLineBreaksInside() {
        assertThat(addresses("Alice <a@x.com>,\r\n Bob\r\n\t<b@x.com>")).containsExactly("a@x.com", "b@x.com");
    }

    @Test
    void emptyAndBlankTextGiveNoAddresses() {
        assertThat(AddressList.parse(null)).isEmpty();
        assertThat(AddressList.parse("  ")).isEmpty();
        assertThat(AddressList.parse(",;,")).isEmpty();
    }
}
