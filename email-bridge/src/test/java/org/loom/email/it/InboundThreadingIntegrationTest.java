package org.loom.email.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.loom.email.bridge.BridgeSource;
import org.loom.email.bridge.BridgedEnvelope;
import org.loom.email.bridge.InboundEmailReader;
import org.loom.email.bridge.InboundEnvelopes;
import org.loom.email.bridge.IndexedMessage;
import org.loom.email.index.JdbcMessageIndex;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A conversation across the bridge: an email opens a thread, the LOOM user's reply goes out by email threaded under
 * it, and the correspondent's answer to that email comes back into the same thread.
 *
 * <p>The bridged envelopes are built by the bridge's mapping and accepted by the real envelope-service; they are handed
 * to it as the inbound route will hand them (a command for the bridge sender), because that route is not served yet.
 */
class InboundThreadingIntegrationTest extends RunningEmailBridge {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "bridge://bob@example.org";

    @Autowired
    private InboundEnvelopes inbound;

    @Autowired
    private JdbcMessageIndex index;

    private BridgedEnvelope receive(String raw) throws Exception {
        BridgedEnvelope bridged = inbound.build(InboundEmailReader.fromRaw(raw.getBytes(StandardCharsets.UTF_8)),
                BridgeSource.EMAIL, null);
        EnvelopeServiceNode.get().submit(bridged.envelope(), BOB, "bridge");
        index.record(new IndexedMessage(bridged.messageId(), bridged.envelopeId(), bridged.threadId(),
                bridged.subject(), bridged.references()), JdbcMessageIndex.Direction.INBOUND);
        return bridged;
    }

    @Test
    void anEmailOpensAThreadAndTheCorrespondentsAnswerToTheReplyLandsInIt() throws Exception {
        GreenMail mail = startMail();
        mail.purgeEmailFromAllMailboxes();
        String firstId = "first-" + LoomIds.next(IdPrefix.EVENT) + "@example.org";
        BridgedEnvelope first = receive("""
                From: Bob <bob@example.org>\r
                To: Alice <alice@node.test>\r
                Subject: Lunch on Friday?\r
                Message-ID: <%s>\r
                Authentication-Results: mx.node.test; spf=pass; dkim=pass; dmarc=pass\r
                \r
                Shall we meet at noon?\r
                """.formatted(firstId));
        assertThat(first.newThread()).isTrue();
        JsonNode stored = EnvelopeServiceNode.get().submitted(first.envelopeId(), ALICE);
        assertThat(stored.path("from").path("identity").asString()).isEqualTo(BOB);
        assertThat(stored.path("content").path("structured").path("intent").asString()).isEqualTo("schedule.meeting@v1");

        ObjectNode reply = ItEnvelopes.message(ALICE, first.threadId(), first.envelopeId(), "Noon works.",
                BOB + " primary");
        EnvelopeServiceNode.get().submit(reply, ALICE, "human");

        HttpResponse<String> sent = post("/v1/bridge/email/send", ALICE,
                "{\"envelope_id\":\"" + reply.path("id").asString() + "\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(mail.waitForIncomingEmail(Duration.ofSeconds(30).toMillis(), 1)).isTrue();
        MimeMessage email = mail.getReceivedMessages()[0];
        assertThat(email.getHeader("In-Reply-To", null)).isEqualTo("<" + firstId + ">");
        assertThat(email.getSubject()).isEqualTo("Re: Lunch on Friday?");

        BridgedEnvelope answer = receive("""
                From: bob@example.org\r
                To: alice@node.test\r
                Subject: Re: Lunch on Friday?\r
                Message-ID: <answer-%s@example.org>\r
                In-Reply-To: %s\r
                References: <%s> %s\r
                \r
                See you then.\r
                > Noon works.\r
                """.formatted(LoomIds.next(IdPrefix.EVENT), email.getMessageID(), firstId, email.getMessageID()));
        assertThat(answer.threadId()).isEqualTo(first.threadId());
        assertThat(answer.parentId()).isEqualTo(reply.path("id").asString());
        JsonNode thread = LoomJson.parse(EnvelopeServiceNode.get().thread(first.threadId(), ALICE));
        assertThat(thread.path("participants").findValuesAsString("identity")).contains(BOB, ALICE);
    }
}
