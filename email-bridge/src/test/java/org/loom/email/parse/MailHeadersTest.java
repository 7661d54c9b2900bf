package org.loom.email.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MailHeadersTest {

    @Test
    void looksUpNamesWithoutRegardToCase() {
        MailHeaders headers = MailHeaders.parse("message-id: <a@x>\r\nSUBJECT: Hi\r\n");
        assertThat(headers.first("Message-ID")).contains("<a@x>");
        assertThat(headers.first("subject")).contains("Hi");
        assertThat(headers.first("From")).isEmpty();
    }

    @Test
    void unfoldsContinuationLines() {
        MailHeaders headers = MailHeaders.parse("Subject: a long\r\n  subject line\r\nTo: a@x.com,\r\n\tb@x.com\r\n");
        assertThat(headers.first("Subject")).contains("a long  subject line");
        assertThat(headers.first("To")).contains("a@x.com,\tb@x.com");
    }

    @Test
    void acceptsBareLineFeedsAndStopsAtTheFirstEmptyLine() {
        MailHeaders headers = MailHeaders.parse("From: a@x.com\nSubject: one\n\nBody: not a header\n");
        assertThat(headers.fields()).extracting(MailHeaders.Field::name).containsExactly("From", "Subject");
    }

    @Test
    void keepsEveryValueOfARepeatedField() {
        MailHeaders headers = MailHeaders.parse("Received: one\r\nReceived: two\r\nX-Tag: t\r\n");
        assertThat(headers.all("received")).containsExactly("one", "two");
        assertThat(headers.asMap()).isEqualTo(Map.of("Received", List.of("one", "two"), "X-Tag", "t"));
    }

    @Test
    void ignoresLinesThatAreNotFields() {
        MailHeaders headers = MailHeaders.parse(" stray continuation\r\nno colon here\r\nX-Ok: yes\r\n");
        assertThat(headers.fields()).containsExactly(new MailHeaders.Field("X-Ok", "yes"));
    }
}
