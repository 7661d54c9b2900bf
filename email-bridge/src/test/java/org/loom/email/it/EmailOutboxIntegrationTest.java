package org.loom.email.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The email outbox end to end: envelopes stored by the real envelope-service, queued and processed through the
 * bridge's routes, relayed to a GreenMail server, with retries, dead letters and requeue when that server is down.
 */
class EmailOutboxIntegrationTest extends RunningEmailBridge {

    private static final String ALICE = "loom://alice@node.test";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private GreenMail mail;

    @BeforeEach
    void cleanMailbox() throws Exception {
        mail = startMail();
        mail.purgeEmailFromAllMailboxes();
    }

    private static ObjectNode message(String threadId, String parentId, String text, String... recipients) {
        return ItEnvelopes.message(ALICE, threadId, parentId, text, recipients);
    }

    private JsonNode queue(String body) throws Exception {
        HttpResponse<String> response = post("/v1/email/outbox", ALICE, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return LoomJson.parse(response.body());
    }

    private JsonNode process(String outboxId) throws Exception {
        HttpResponse<String> response = post("/v1/email/outbox/" + outboxId + "/process", ALICE, "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return LoomJson.parse(response.body());
    }

    private List<MimeMessage> receivedBy(String address) {
        return mail.findReceivedMessages(user -> user.getEmail().equals(address), m -> true).toList();
    }

    @Test
    void queuedEmailArrivesWithLoomHeadersAndEachBccRecipientGetsAPrivateCopy() throws Exception {
        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode envelope = message(threadId, null, "Quarterly numbers attached.",
                "bridge://bob@example.org primary", "loom://carol@node.test cc", "loom://dave@node.test bcc",
                "loom://erin@node.test bcc");
        EnvelopeServiceNode.get().submit(envelope, ALICE, "human");
        String envelopeId = envelope.path("id").asString();

        JsonNode queued = queue("{\"envelope_id\":\"" + envelopeId + "\",\"subject\":\"Q3 numbers\"}");
        assertThat(queued.path("id").asString()).startsWith("eout_");
        assertThat(queued.path("status").asString()).isEqualTo("queued");
        assertThat(queued.path("queued_by").asString()).isEqualTo(ALICE);
        JsonNode delivered = process(queued.path("id").asString());
        assertThat(delivered.path("status").asString()).as(delivered.toString()).isEqualTo("delivered");
        assertThat(delivered.path("result").path("provider_message_id").asString())
                .isEqualTo(envelopeId + "@" + EnvelopeServiceNode.NODE_ID);

        assertThat(mail.waitForIncomingEmail(WAIT.toMillis(), 4)).isTrue();
        MimeMessage bobCopy = receivedBy("bob@example.org").get(0);
        assertThat(bobCopy.getSubject()).isEqualTo("Q3 numbers");
        assertThat(bobCopy.getMessageID()).isEqualTo("<" + envelopeId + "@node.test>");
        assertThat(bobCopy.getHeader("X-LOOM-Intent", null)).isEqualTo("message.general@v1");
        assertThat(bobCopy.getHeader("X-LOOM-Thread-ID", null)).isEqualTo(threadId);
        assertThat(bobCopy.getHeader("X-LOOM-Envelope-ID", null)).isEqualTo(envelopeId);
        assertThat(bobCopy.getHeader("In-Reply-To")).isNull();
        assertThat(receivedBy("carol@node.test")).hasSize(1);
        String bob = GreenMailUtil.getWholeMessage(bobCopy);
        String carol = GreenMailUtil.getWholeMessage(receivedBy("carol@node.test").get(0));
        String dave = GreenMailUtil.getWholeMessage(receivedBy("dave@node.test").get(0));
        String erin = GreenMailUtil.getWholeMessage(receivedBy("erin@node.test").get(0));
        assertThat(bob).doesNotContain("dave@node.test").doesNotContain("erin@node.test");
        assertThat(carol).doesNotContain("dave@node.test").doesNotContain("erin@node.test");
        assertThat(dave).doesNotContain("erin@node.test");
        assertThat(erin).doesNotContain("dave@node.test");
        for (String copy : List.of(bob, carol, dave, erin)) {
            assertThat(copy).doesNotContainIgnoringCase("\nBcc:").contains("Quarterly numbers attached.");
        }
    }

    @Test
    void aReplyIsThreadedUnderTheEmailOfItsParent() throws Exception {
        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode first = message(threadId, null, "First", "bridge://bob@example.org primary");
        EnvelopeServiceNode.get().submit(first, ALICE, "human");
        process(queue("{\"envelope_id\":\"" + first.path("id").asString() + "\",\"subject\":\"Plans\"}")
                .path("id").asString());
        ObjectNode reply = message(threadId, first.path("id").asString(), "Second",
                "bridge://bob@example.org primary");
        EnvelopeServiceNode.get().submit(reply, ALICE, "human");
        JsonNode delivered = process(queue("{\"envelope_id\":\"" + reply.path("id").asString() + "\"}")
                .path("id").asString());
        assertThat(delivered.path("status").asString()).isEqualTo("delivered");

        assertThat(mail.waitForIncomingEmail(WAIT.toMillis(), 2)).isTrue();
        MimeMessage second = receivedBy("bob@example.org").stream()
                .filter(m -> GreenMailUtil.getBody(m).contains("Second")).findFirst().orElseThrow();
        String parentId = "<" + first.path("id").asString() + "@node.test>";
        assertThat(second.getHeader("In-Reply-To", null)).isEqualTo(parentId);
        assertThat(second.getHeader("References", null)).isEqualTo(parentId);
        assertThat(second.getSubject()).isEqualTo("Re: Plans");
    }

    @Test
    void anUnreachableRelayIsRetriedThenDeadLetteredAndARequeueDeliversIt() throws Exception {
        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode envelope = message(threadId, null, "Are you there?", "bridge://bob@example.org primary");
        EnvelopeServiceNode.get().submit(envelope, ALICE, "human");
        stopMail();

        String id = queue("{\"envelope_id\":\"" + envelope.path("id").asString() + "\",\"max_attempts\":2}")
                .path("id").asString();
        JsonNode first = process(id);
        assertThat(first.path("status").asString()).isEqualTo("queued");
        assertThat(first.path("attempts").asInt()).isEqualTo(1);
        assertThat(first.path("last_error").asString()).startsWith("Email relay send failed");

        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> process(id).path("status").asString().equals("failed"));
        JsonNode dead = LoomJson.parse(get("/v1/email/outbox?status=failed", ALICE).body()).path("outbox");
        assertThat(dead.findValuesAsString("id")).contains(id);

        mail = startMail();
        HttpResponse<String> requeued = post("/v1/email/outbox/" + id + "/requeue", ALICE, "{}");
        assertThat(requeued.statusCode()).as(requeued.body()).isEqualTo(200);
        assertThat(LoomJson.parse(requeued.body()).path("status").asString()).isEqualTo("queued");
        JsonNode delivered = process(id);
        assertThat(delivered.path("status").asString()).isEqualTo("delivered");
        assertThat(mail.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
        assertThat(receivedBy("bob@example.org")).hasSize(1);
    }

    @Test
    void sendQueuesAndDeliversAtOnce() throws Exception {
        ObjectNode envelope = message(LoomIds.next(IdPrefix.THREAD), null, "Now", "bridge://bob@example.org primary");
        EnvelopeServiceNode.get().submit(envelope, ALICE, "human");

        HttpResponse<String> response = post("/v1/bridge/email/send", ALICE,
                "{\"envelope_id\":\"" + envelope.path("id").asString() + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(LoomJson.parse(response.body()).path("status").asString()).isEqualTo("delivered");
        assertThat(mail.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
    }

    @Test
    void callersSeeOnlyTheirOwnItemsAndCannotQueueWhatTheyCannotRead() throws Exception {
        ObjectNode envelope = message(LoomIds.next(IdPrefix.THREAD), null, "Private",
                "bridge://bob@example.org primary");
        EnvelopeServiceNode.get().submit(envelope, ALICE, "human");
        String id = queue("{\"envelope_id\":\"" + envelope.path("id").asString() + "\"}").path("id").asString();

        String mallory = "loom://mallory@node.test";
        assertThat(post("/v1/email/outbox", mallory, "{\"envelope_id\":\"" + envelope.path("id").asString() + "\"}")
                .statusCode()).isEqualTo(404);
        JsonNode listed = LoomJson.parse(get("/v1/email/outbox", mallory).body()).path("outbox");
        assertThat(listed.findValuesAsString("id")).doesNotContain(id);
        assertThat(post("/v1/email/outbox/" + id + "/process", mallory, "{}").statusCode()).isEqualTo(404);
        assertThat(LoomJson.parse(get("/v1/email/outbox", ALICE).body()).path("outbox").findValuesAsString("id"))
                .contains(id);
    }

    @Test
    void badRequestsGetProtocolErrors() throws Exception {
        HttpResponse<String> noEnvelope = post("/v1/email/outbox", ALICE, "{}");
        assertThat(noEnvelope.statusCode()).isEqualTo(400);
        assertThat(LoomJson.parse(noEnvelope.body()).path("error").path("code").asString())
                .isEqualTo("ENVELOPE_INVALID");
        HttpResponse<String> unknown = post("/v1/email/outbox", ALICE, "{\"envelope_id\":\"env_01JZ0000000000000000000000\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> noActor = get("/v1/email/outbox", null);
        assertThat(noActor.statusCode()).isEqualTo(401);
        assertThat(post("/v1/email/outbox", ALICE, "{\"envelope_id\": 5}").statusCode()).isEqualTo(400);
    }

    @Test
    void numbersBeyondAnyJavaTypeAreClampedNotFailed() throws Exception {
        for (String limit : new String[] {"1e400", "-1e400", "123456789012345678901234567890"}) {
            HttpResponse<String> processed = post("/v1/email/outbox/process", ALICE, "{\"limit\":" + limit + "}");

            assertThat(processed.statusCode()).as(processed.body()).isEqualTo(200);
        }
    }

    @Test
    void theSameKeyedRequestSentAgainFindsTheItemItQueuedAndADifferentOneQueuesAnother() throws Exception {
        ObjectNode envelope = message(LoomIds.next(IdPrefix.THREAD), null, "Once only", "loom://bob@node.test primary");
        EnvelopeServiceNode.get().submit(envelope, ALICE, "human");
        String body = "{\"envelope_id\":\"" + envelope.path("id").asString()
                + "\",\"to_email\":[\"once@example.test\"]}";

        HttpResponse<String> first = postWithKey("/v1/email/outbox", ALICE, body, "key-" + UUID.randomUUID());
        String key = "key-" + UUID.randomUUID();
        HttpResponse<String> keyed = postWithKey("/v1/email/outbox", ALICE, body, key);
        HttpResponse<String> again = postWithKey("/v1/email/outbox", ALICE, body, key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(201);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        String id = LoomJson.parse(keyed.body()).path("id").asString();
        assertThat(LoomJson.parse(again.body()).path("id").asString()).isEqualTo(id);
        assertThat(LoomJson.parse(first.body()).path("id").asString()).isNotEqualTo(id);
        List<String> queuedForTheEnvelope = LoomJson.parse(get("/v1/email/outbox", ALICE).body()).path("outbox")
                .valueStream().filter(item -> item.path("envelope_id").asString()
                        .equals(envelope.path("id").asString()))
                .map(item -> item.path("id").asString()).toList();
        assertThat(queuedForTheEnvelope).containsExactlyInAnyOrder(id, LoomJson.parse(first.body()).path("id")
                .asString());
    }
}
