package org.loom.email.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.loom.email.bridge.RenderedEmail;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

class EmailRelayTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static SmtpSettings smtp(String host, int port) {
        return new SmtpSettings("smtp", "relay@node.test", "", host, port, false, "", "", false, true, 5000);
    }

    private static EmailRelay relay() {
        return new EmailRelay(smtp("127.0.0.1", MAIL.getSmtp().getPort()), Clock.systemUTC());
    }

    private static RenderedEmail email(List<String> to, List<String> cc, List<String> bcc) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Message-ID", "<env_01JZ00000000000000000000E2@node.test>");
        headers.put("In-Reply-To", "<orig@example.org>");
        headers.put("References", "<first@example.org> <orig@example.org>");
        headers.put("X-LOOM-Intent", "message.general@v1");
        headers.put("X-LOOM-Thread-ID", "thr_01JZ00000000000000000000T1");
        headers.put("X-LOOM-Envelope-ID", "env_01JZ00000000000000000000E2");
        return new RenderedEmail(null, to, cc, bcc, "Re: Café plans", "See you at noon", "<pre>See you at noon</pre>",
                headers, null, "env_01JZ00000000000000000000E2@node.test");
    }

    private static List<MimeMessage> receivedBy(String address) {
        return MAIL.findReceivedMessages(user -> user.getEmail().equals(address), m -> true).toList();
    }

    @Test
    void deliversTextAndHtmlWithTheLoomAndThreadingHeaders() throws Exception {
        RelayResult result = relay().send(email(List.of("bob@example.org"), List.of("carol@example.org"), List.of()));

        assertThat(result.relayMode()).isEqualTo("smtp");
        assertThat(result.accepted()).containsExactly("bob@example.org", "carol@example.org");
        assertThat(result.providerMessageId()).isEqualTo("env_01JZ00000000000000000000E2@node.test");
        assertThat(MAIL.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage received = receivedBy("bob@example.org").get(0);
        assertThat(received.getSubject()).isEqualTo("Re: Café plans");
        assertThat(received.getFrom()[0].toString()).isEqualTo("relay@node.test");
        assertThat(received.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("bob@example.org");
        assertThat(received.getRecipients(Message.RecipientType.CC)[0].toString()).isEqualTo("carol@example.org");
        assertThat(received.getMessageID()).isEqualTo("<env_01JZ00000000000000000000E2@node.test>");
        assertThat(received.getHeader("In-Reply-To", null)).isEqualTo("<orig@example.org>");
        assertThat(received.getHeader("References", null)).isEqualTo("<first@example.org> <orig@example.org>");
        assertThat(received.getHeader("X-LOOM-Intent", null)).isEqualTo("message.general@v1");
        assertThat(received.getHeader("X-LOOM-Thread-ID", null)).isEqualTo("thr_01JZ00000000000000000000T1");
        assertThat(received.getHeader("X-LOOM-Envelope-ID", null)).isEqualTo("env_01JZ00000000000000000000E2");
        MimeMultipart body = (MimeMultipart) received.getContent();
        assertThat(body.getContentType()).startsWith("multipart/alternative");
        assertThat(body.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(body.getBodyPart(0).getContent().toString().strip()).isEqualTo("See you at noon");
        assertThat(body.getBodyPart(1).getContentType()).startsWith("text/html");
    }

    @Test
    void eachBccRecipientGetsAnOwnCopyThatRevealsNoOtherBccRecipient() throws Exception {
        relay().send(email(List.of("bob@example.org"), List.of(), List.of("dave@example.org", "erin@example.org")));

        assertThat(MAIL.waitForIncomingEmail(5000, 3)).isTrue();
        assertThat(MAIL.getReceivedMessages()).hasSize(3);
        String bobCopy = GreenMailUtil.getWholeMessage(receivedBy("bob@example.org").get(0));
        String daveCopy = GreenMailUtil.getWholeMessage(receivedBy("dave@example.org").get(0));
        String erinCopy = GreenMailUtil.getWholeMessage(receivedBy("erin@example.org").get(0));
        assertThat(bobCopy).doesNotContain("dave@example.org").doesNotContain("erin@example.org");
        assertThat(daveCopy).doesNotContain("erin@example.org").containsIgnoringCase("To: bob@example.org");
        assertThat(erinCopy).doesNotContain("dave@example.org");
        for (String copy : List.of(bobCopy, daveCopy, erinCopy)) {
            assertThat(copy).doesNotContainIgnoringCase("\nBcc:");
            assertThat(copy).contains("Message-ID: <env_01JZ00000000000000000000E2@node.test>");
        }
    }

    @Test
    void anEmailWithOnlyBccRecipientsShowsUndisclosedRecipients() throws Exception {
        relay().send(email(List.of(), List.of(), List.of("dave@example.org", "erin@example.org")));

        assertThat(MAIL.waitForIncomingEmail(5000, 2)).isTrue();
        String daveCopy = GreenMailUtil.getWholeMessage(receivedBy("dave@example.org").get(0));
        assertThat(daveCopy).contains("To: undisclosed-recipients:;").doesNotContain("erin@example.org");
    }

    @Test
    void logsInWithTheCredentialsOfTheSmtpUrl() {
        MAIL.setUser("relay@node.test", "relay-user", "s3cret");
        SmtpSettings settings = new SmtpSettings("", "relay@node.test",
                "smtp://relay-user:s3cret@127.0.0.1:" + MAIL.getSmtp().getPort(), "", 587, false, "", "", false,
                true, 5000);
        EmailRelay relay = new EmailRelay(settings, Clock.systemUTC());

        assertThat(relay.mode()).isEqualTo(SmtpSettings.Mode.SMTP);
        assertThat(relay.status()).containsEntry("host", "url").containsEntry("has_auth", true)
                .containsEntry("auth_user_hint", "re***er");
        relay.send(email(List.of("bob@example.org"), List.of(), List.of()));
        assertThat(MAIL.waitForIncomingEmail(5000, 1)).isTrue();
    }

    @Test
    void anUnreachableServerIsABridgeDeliveryFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        EmailRelay relay = new EmailRelay(smtp("127.0.0.1", closedPort), Clock.systemUTC());

        assertThatThrownBy(() -> relay.send(email(List.of("bob@example.org"), List.of(), List.of())))
                .isInstanceOfSatisfying(LoomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BRIDGE_DELIVERY_FAILED);
                    assertThat(e.getMessage()).startsWith("Email relay send failed: ");
                });
    }

    @Test
    void theDisabledRelayRefusesToSend() {
        EmailRelay relay = new EmailRelay(
                new SmtpSettings("", "", "", "", 587, false, "", "", false, true, 5000), Clock.systemUTC());

        assertThat(relay.enabled()).isFalse();
        assertThat(relay.status()).containsEntry("mode", "disabled").containsEntry("configured", false)
                .containsEntry("host", null).containsEntry("port", null).containsEntry("has_auth", false);
        assertThatThrownBy(() -> relay.send(email(List.of("bob@example.org"), List.of(), List.of()).withSmtpFrom("a@b.c")))
                .isInstanceOfSatisfying(LoomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BRIDGE_DELIVERY_FAILED);
                    assertThat(e.getMessage()).isEqualTo("Email relay is not configured");
                });
    }

    @Test
    void theStreamModeBuildsTheMessagesAndSendsNothing() {
        EmailRelay relay = new EmailRelay(
                new SmtpSettings("stream", "relay@node.test", "", "", 587, false, "", "", false, true, 5000),
                Clock.systemUTC());

        RelayResult result = relay.send(email(List.of("bob@example.org"), List.of(), List.of("dave@example.org")));
        assertThat(result.relayMode()).isEqualTo("stream");
        assertThat(result.accepted()).containsExactly("bob@example.org", "dave@example.org");
        assertThat(result.response()).startsWith("stream: 2 message(s)");
        assertThat(MAIL.getReceivedMessages()).isEmpty();
        assertThat(relay.status()).containsEntry("host", "stream").containsEntry("port", 0);
    }

    @Test
    void anEmailWithoutSenderOrRecipientsIsABadRequest() {
        EmailRelay relay = new EmailRelay(
                new SmtpSettings("stream", "", "", "", 587, false, "", "", false, true, 5000), Clock.systemUTC());
        assertThatThrownBy(() -> relay.send(email(List.of("bob@example.org"), List.of(), List.of())))
                .isInstanceOfSatisfying(LoomException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
        assertThatThrownBy(() -> relay.send(email(List.of(), List.of(), List.of()).withSmtpFrom("a@b.c")))
                .isInstanceOfSatisfying(LoomException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
    }
}
