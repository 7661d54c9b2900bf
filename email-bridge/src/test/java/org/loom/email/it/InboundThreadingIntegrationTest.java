package org.loom.email.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loom.email.bridge.IndexedMessage;
import org.loom.email.index.JdbcMessageIndex;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A conversation across the bridge: an email posted to {@code /v1/bridge/email/inbound} opens a thread, the LOOM
 * user's reply goes out by email threaded under it, and the correspondent's answer to that email, posted the same way,
 * lands in the same thread. Every envelope is decided by the real envelope-service over the command path.
 */
class InboundThreadingIntegrationTest extends RunningEmailBridge {

    private static final String ALICE = "loom://alice@node.test";
    private static final String CAROL = "loom://carol@node.test";
    private static final String BOB = "bridge://bob@example.org";
    /** The service identity an MTA hands mail over with. */
    private static final String MTA = "loom://mta@node.test";

    @Autowired
    private JdbcMessageIndex index;

    @Autowired
    private JdbcTemplate jdbc;

    private JsonNode receive(String raw) throws Exception {
        HttpResponse<String> response = postMessage("/v1/bridge/email/inbound", MTA, raw);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return LoomJson.parse(response.body());
    }

    @Test
    void anEmailOpensAThreadAndTheCorrespondentsAnswerToTheReplyLandsInIt() throws Exception {
        GreenMail mail = startMail();
        mail.purgeEmailFromAllMailboxes();
        String firstId = "first-" + LoomIds.next(IdPrefix.EVENT) + "@example.org";
        JsonNode first = receive("""
                From: Bob <bob@example.org>\r
                To: Alice <alice@node.test>\r
                Subject: Lunch on Friday?\r
                Message-ID: <%s>\r
                Authentication-Results: mx.node.test; spf=pass; dkim=pass; dmarc=pass\r
                \r
                Shall we meet at noon?\r
                """.formatted(firstId));
        assertThat(first.path("message_id").asString()).isEqualTo(firstId);
        assertThat(first.path("quarantined").asBoolean()).isFalse();
        String firstEnvelope = first.path("envelope_id").asString();
        String threadId = first.path("thread_id").asString();
        JsonNode stored = EnvelopeServiceNode.get().submitted(firstEnvelope, ALICE);
        assertThat(stored.path("from").path("identity").asString()).isEqualTo(BOB);
        assertThat(stored.path("parent_id").isNull()).isTrue();
        assertThat(stored.path("content").path("structured").path("intent").asString()).isEqualTo("schedule.meeting@v1");
        assertThat(stored.path("meta").path("bridge").path("auth_results").path("spf").asString()).isEqualTo("pass");
        assertThat(index.byMessageId(firstId)).map(IndexedMessage::envelopeId).contains(firstEnvelope);
        assertThat(index.byMessageId(firstEnvelope + "@" + EnvelopeServiceNode.NODE_ID))
                .map(IndexedMessage::envelopeId).contains(firstEnvelope);
        assertThat(auditActions(firstEnvelope)).contains("bridge.email.inbound");

        ObjectNode reply = ItEnvelopes.message(ALICE, threadId, firstEnvelope, "Noon works.", BOB + " primary");
        EnvelopeServiceNode.get().submit(reply, ALICE, "human");

        HttpResponse<String> sent = post("/v1/bridge/email/send", ALICE,
                "{\"envelope_id\":\"" + reply.path("id").asString() + "\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(mail.waitForIncomingEmail(Duration.ofSeconds(30).toMillis(), 1)).isTrue();
        MimeMessage email = mail.getReceivedMessages()[0];
        assertThat(email.getHeader("In-Reply-To", null)).isEqualTo("<" + firstId + ">");
        assertThat(email.getSubject()).isEqualTo("Re: Lunch on Friday?");

        JsonNode answer = receive("""
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
        assertThat(answer.path("thread_id").asString()).isEqualTo(threadId);
        JsonNode answerStored = EnvelopeServiceNode.get().submitted(answer.path("envelope_id").asString(), ALICE);
        assertThat(answerStored.path("parent_id").asString()).isEqualTo(reply.path("id").asString());
        JsonNode thread = LoomJson.parse(EnvelopeServiceNode.get().thread(threadId, ALICE));
        assertThat(thread.path("participants").findValuesAsString("identity")).contains(BOB, ALICE);
    }

    @Test
    void mailSubmittedThroughTheLegacyGatewayIsSentByTheUserAndThreadsByItsReferences() throws Exception {
        String openerId = "opener-" + LoomIds.next(IdPrefix.EVENT) + "@example.org";
        JsonNode opener = receive("""
                From: bob@example.org\r
                To: carol@node.test\r
                Subject: Quarterly figures\r
                Message-ID: <%s>\r
                \r
                The figures are attached to the wiki.\r
                """.formatted(openerId));

        HttpResponse<String> submitted = post("/v1/gateway/smtp/submit", CAROL, """
                {"to": "Bob <bob@example.org>", "in_reply_to": "<%s>", "text": "Thanks, Bob.",
                 "headers": {"Subject": "Re: Quarterly figures"}}
                """.formatted(openerId));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        JsonNode body = LoomJson.parse(submitted.body());
        assertThat(body.path("thread_id").asString()).isEqualTo(opener.path("thread_id").asString());
        String envelopeId = body.path("envelope_id").asString();
        assertThat(body.path("message_id").asString()).isEqualTo(envelopeId + "@" + EnvelopeServiceNode.NODE_ID);

        JsonNode stored = EnvelopeServiceNode.get().submitted(envelopeId, CAROL);
        assertThat(stored.path("from").path("identity").asString()).isEqualTo(CAROL);
        assertThat(stored.path("from").path("type").asString()).isEqualTo("human");
        assertThat(stored.path("parent_id").asString()).isEqualTo(opener.path("envelope_id").asString());
        assertThat(stored.path("meta").path("bridge").path("source").asString()).isEqualTo("legacy_gateway");
        assertThat(index.byMessageId(body.path("message_id").asString())).map(IndexedMessage::envelopeId)
                .contains(envelopeId);
        assertThat(auditActions(envelopeId)).contains("gateway.smtp.submit");
    }

    @Test
    void theEnvelopeServicesRefusalIsAnsweredAsItsProtocolError() throws Exception {
        String openerId = "private-" + LoomIds.next(IdPrefix.EVENT) + "@example.org";
        receive("""
                From: bob@example.org\r
                To: alice@node.test\r
                Subject: Just us\r
                Message-ID: <%s>\r
                \r
                Between the two of us.\r
                """.formatted(openerId));

        // Carol is no participant of that thread: replying into it is refused, not turned into a server error.
        HttpResponse<String> refused = post("/v1/gateway/smtp/submit", CAROL, """
                {"to": "bob@example.org", "in_reply_to": "<%s>", "text": "May I join?"}
                """.formatted(openerId));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(LoomJson.parse(refused.body()).path("error").path("code").asString())
                .isEqualTo("CAPABILITY_DENIED");
    }

    @Test
    void malformedMailIsABadRequest() throws Exception {
        HttpResponse<String> noRecipients = postMessage("/v1/bridge/email/inbound", MTA, """
                From: bob@example.org\r
                Subject: To nobody\r
                \r
                Hello?\r
                """);
        assertThat(noRecipients.statusCode()).as(noRecipients.body()).isEqualTo(400);
        assertThat(LoomJson.parse(noRecipients.body()).path("error").path("code").asString())
                .isEqualTo("ENVELOPE_INVALID");

        HttpResponse<String> brokenJson = post("/v1/bridge/email/inbound", MTA, "{\"smtp_from\": ");
        assertThat(brokenJson.statusCode()).as(brokenJson.body()).isEqualTo(400);

        HttpResponse<String> noSender = post("/v1/gateway/smtp/submit", MTA, "");
        assertThat(noSender.statusCode()).as(noSender.body()).isEqualTo(400);
    }

    @Test
    void mailTheMtaFlaggedLandsInAQuarantinedThread() throws Exception {
        HttpResponse<String> response = post("/v1/bridge/email/inbound", MTA, """
                {"smtp_from": "spam@example.net", "rcpt_to": ["alice@node.test"], "text": "You won!",
                 "quarantine": true, "auth_results": {"spf": "fail", "dkim": "none", "dmarc": "fail"}}
                """);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = LoomJson.parse(response.body());
        assertThat(body.path("quarantined").asBoolean()).isTrue();
        JsonNode thread = LoomJson.parse(EnvelopeServiceNode.get().thread(body.path("thread_id").asString(), ALICE));
        assertThat(thread.path("labels").toString()).contains("sys.quarantine");
    }

    @Test
    void theSameEmailHandedOverAgainIsAnsweredWithItsFirstEnvelope() throws Exception {
        String messageId = "twice-" + LoomIds.next(IdPrefix.EVENT) + "@example.org";
        String raw = """
                From: bob@example.org\r
                To: alice@node.test\r
                Subject: Invoice 42\r
                Message-ID: <%s>\r
                \r
                Please find the invoice below.\r
                """.formatted(messageId);
        JsonNode first = receive(raw);
        JsonNode again = receive(raw);
        assertThat(again.path("envelope_id").asString()).isEqualTo(first.path("envelope_id").asString());
        assertThat(again.path("thread_id").asString()).isEqualTo(first.path("thread_id").asString());
        HttpResponse<String> envelopes = EnvelopeServiceNode.get().call("GET",
                "/v1/threads/" + first.path("thread_id").asString() + "/envelopes", ALICE, null);
        assertThat(LoomJson.parse(envelopes.body()).path("envelopes").size()).isEqualTo(1);

        // The same message delivered to another recipient is another delivery, with its own envelope.
        JsonNode forCarol = receive(raw.replace("To: alice@node.test", "To: carol@node.test"));
        assertThat(forCarol.path("envelope_id").asString()).isNotEqualTo(first.path("envelope_id").asString());
    }

    @Test
    void quarantinedReportsWhatTheNodeDidWithTheEmail() throws Exception {
        String messageId = "flagged-" + LoomIds.next(IdPrefix.EVENT) + "@example.org";
        String flagged = """
                {"smtp_from": "offers@example.net", "rcpt_to": ["alice@node.test"], "message_id": "<%s>",
                 "text": "Limited offer", "quarantine": true}
                """.formatted(messageId);
        HttpResponse<String> first = post("/v1/bridge/email/inbound", MTA, flagged);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        JsonNode firstBody = LoomJson.parse(first.body());
        assertThat(firstBody.path("quarantined").asBoolean()).isTrue();
        JsonNode stored = EnvelopeServiceNode.get().submitted(firstBody.path("envelope_id").asString(), ALICE);
        assertThat(stored.path("meta").path("quarantined").asBoolean()).isTrue();

        // Handed over again without the flag, it is still the quarantined envelope it became the first time.
        HttpResponse<String> again = post("/v1/bridge/email/inbound", MTA, flagged.replace("true", "false"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        JsonNode againBody = LoomJson.parse(again.body());
        assertThat(againBody.path("envelope_id").asString()).isEqualTo(firstBody.path("envelope_id").asString());
        assertThat(againBody.path("quarantined").asBoolean()).isTrue();

        JsonNode clean = receive("""
                From: bob@example.org\r
                To: alice@node.test\r
                Message-ID: <clean-%s@example.org>\r
                \r
                Nothing odd here.\r
                """.formatted(LoomIds.next(IdPrefix.EVENT)));
        assertThat(clean.path("quarantined").asBoolean()).isFalse();
        assertThat(EnvelopeServiceNode.get().submitted(clean.path("envelope_id").asString(), ALICE).path("meta")
                .has("quarantined")).isFalse();
    }

    private List<String> auditActions(String envelopeId) {
        return jdbc.queryForList("SELECT payload FROM outbox_event", String.class).stream()
                .filter(payload -> payload.contains(envelopeId))
                .map(payload -> LoomJson.parse(payload).path("action").asString(""))
                .toList();
    }
}
