package org.loom.email.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

class RawMessageParserTest {

    private static ParsedMessage parse(String raw) {
        return RawMessageParser.parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsASinglePartMessage() {
        ParsedMessage message = parse("""
                From: "Doe, Jane" <Jane@Example.com>\r
                To: bob@example.org, undisclosed-recipients:;\r
                Cc: =?UTF-8?Q?Ren=C3=A9?= <rene@example.net>\r
                Subject: =?UTF-8?B?SGVsbG8=?= there\r
                Message-ID: <m1@example.com>\r
                In-Reply-To: <p0@example.org>\r
                References: <r1@example.org>\r
                 <p0@example.org>\r
                Date: Mon, 16 Feb 2026 22:05:00 +0000\r
                \r
                Body line\r
                """);
        assertThat(message.from()).isEqualTo(new EmailAddress("Doe, Jane", "jane@example.com"));
        assertThat(message.to()).extracting(EmailAddress::address).containsExactly("bob@example.org");
        assertThat(message.cc()).containsExactly(new EmailAddress("René", "rene@example.net"));
        assertThat(message.subject()).isEqualTo("Hello there");
        assertThat(message.messageId()).isEqualTo("m1@example.com");
        assertThat(message.inReplyTo()).containsExactly("p0@example.org");
        assertThat(message.references()).containsExactly("r1@example.org", "p0@example.org");
        assertThat(message.date()).isEqualTo(Instant.parse("2026-02-16T22:05:00Z"));
        assertThat(message.text()).isEqualTo("Body line\r\n");
        assertThat(message.html()).isNull();
        assertThat(message.attachments()).isEmpty();
    }

    @Test
    void readsAlternativeBodiesAndAttachmentsOfAMultipartMessage() {
        ParsedMessage message = parse("""
                From: a@x.com\r
                To: b@y.com\r
                Subject: files\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary="outer"\r
                \r
                preamble\r
                --outer\r
                Content-Type: multipart/alternative; boundary="inner"\r
                \r
                --inner\r
                Content-Type: text/plain; charset=ISO-8859-1\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                Gr=FC=DFe\r
                --inner\r
                Content-Type: text/html; charset=UTF-8\r
                \r
                <p>Gr&uuml;&szlig;e</p>\r
                --inner--\r
                --outer\r
                Content-Type: application/pdf; name="=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?="\r
                Content-Disposition: attachment; filename="=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?="\r
                Content-Transfer-Encoding: base64\r
                \r
                JVBERi0xLjQ=\r
                --outer\r
                Content-Type: image/png\r
                Content-Disposition: inline\r
                Content-Transfer-Encoding: base64\r
                \r
                iVBORw==\r
                --outer--\r
                """);
        assertThat(message.text()).isEqualTo("Grüße");
        assertThat(message.html()).isEqualTo("<p>Gr&uuml;&szlig;e</p>");
        assertThat(message.attachments()).hasSize(2);
        MimeAttachment pdf = message.attachments().get(0);
        assertThat(pdf.filename()).isEqualTo("résumé.pdf");
        assertThat(pdf.contentType()).isEqualTo("application/pdf");
        assertThat(new String(pdf.data(), StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.4");
        assertThat(pdf.inline()).isFalse();
        MimeAttachment image = message.attachments().get(1);
        assertThat(image.contentType()).isEqualTo("image/png");
        assertThat(image.inline()).isTrue();
        assertThat(image.filename()).isEqualTo("part-2.bin");
    }

    @Test
    void keepsACalendarPartForIntentExtraction() {
        ParsedMessage message = parse("""
                From: a@x.com\r
                To: b@y.com\r
                Content-Type: multipart/alternative; boundary=b\r
                \r
                --b\r
                Content-Type: text/plain\r
                \r
                Invitation\r
                --b\r
                Content-Type: text/calendar; method=REQUEST\r
                \r
                BEGIN:VCALENDAR\r
                METHOD:REQUEST\r
                END:VCALENDAR\r
                --b--\r
                """);
        assertThat(message.text()).isEqualTo("Invitation");
        assertThat(message.calendar()).contains("METHOD:REQUEST");
        assertThat(message.attachments()).isEmpty();
    }

    @Test
    void readsHeadersWhoseNamesUseAnyCaseAndLineFeedsOnly() {
        ParsedMessage message = parse("from: a@x.com\nTO: b@y.com\nmessage-id: <k@x>\n\nhi\n");
        assertThat(message.from().address()).isEqualTo("a@x.com");
        assertThat(message.to()).extracting(EmailAddress::address).containsExactly("b@y.com");
        assertThat(message.messageId()).isEqualTo("k@x");
    }

    @Test
    void anUnreadableDateIsLeftOut() {
        assertThat(parse("From: a@x.com\r\nDate: yesterday-ish\r\n\r\nx").date()).isNull();
    }

    @Test
    void textWithoutHeadersIsRefusedAsInvalid() {
        assertThatThrownBy(() -> parse("\r\njust a body"))
                .isInstanceOfSatisfying(LoomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID));
    }
}
