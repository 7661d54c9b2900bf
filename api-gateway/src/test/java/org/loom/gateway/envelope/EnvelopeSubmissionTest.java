package org.loom.gateway.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class EnvelopeSubmissionTest extends RunningGatewayWithResponder {

    private Sender alice;
    private Sender bob;

    @BeforeEach
    void identities() {
        alice = register("alice", "human");
        bob = register("bob", "human");
    }

    @Test
    void acceptedEnvelopeIsAnswered201WithTheDecidedBodyAsItIs() {
        ObjectNode envelope = TestEnvelopes.signed(
                TestEnvelopes.message(alice.identity(), alice.keyId(), "human", bob.identity()), alice.key(),
                alice.keyId());

        HttpResponse<String> response = post("/v1/envelopes", envelope, alice.token(), null);

        assertThat(response.statusCode()).isEqualTo(201);
        MediaType contentType = MediaType.parseMediaType(response.headers().firstValue("Content-Type").orElseThrow());
        assertThat(contentType.isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
        assertThat(contentType.getCharset()).isEqualTo(StandardCharsets.UTF_8);
        ObjectNode expected = envelope.deepCopy();
        expected.putObject("meta").put("event_seq", 1).put("received_by", alice.identity());
        assertThat(response.body()).isEqualTo(LoomJson.write(expected));
    }

    @Test
    void commandIsKeyedByThreadAndCarriesTheVerifiedFactsAndReplyHeaders() {
        ObjectNode envelope = TestEnvelopes.signed(
                TestEnvelopes.message(alice.identity(), alice.keyId(), "human", bob.identity()), alice.key(),
                alice.keyId());
        Instant before = Instant.now();

        assertThat(post("/v1/envelopes", envelope, alice.token(), null).statusCode()).isEqualTo(201);

        List<CommandResponder.Received> commands = responder.commandsFor(envelope.get("id").asString());
        assertThat(commands).hasSize(1);
        CommandResponder.Received received = commands.get(0);
        assertThat(received.key()).isEqualTo(envelope.get("thread_id").asString());
        Map<String, String> headers = received.headers();
        SubmitEnvelopeCommand command = received.command();
        assertThat(headers).containsEntry(LoomHeaders.MESSAGE_ID, command.messageId())
                .containsEntry(LoomHeaders.MESSAGE_TYPE, "envelope.submit")
                .containsEntry(LoomHeaders.CORRELATION_ID, command.correlationId())
                .containsEntry(LoomHeaders.ORIGIN, "api-gateway")
                .containsEntry(LoomHeaders.SCHEMA_VERSION, "1");
        assertThat(replies.assignedPartitions())
                .contains(Integer.parseInt(headers.get(LoomHeaders.REPLY_PARTITION)));
        assertThat(command.messageId()).isNotEqualTo(command.correlationId());
        assertThat(command.actor()).isEqualTo(alice.identity());
        assertThat(command.actorType()).isEqualTo("human");
        assertThat(command.keyId()).isEqualTo(alice.keyId());
        assertThat(command.route()).isEqualTo("/v1/envelopes");
        assertThat(command.envelope()).isEqualTo(envelope);
        assertThat(command.receivedAt()).isBetween(before, Instant.now());
    }

    @Test
    void refusalByTheEnvelopeServiceIsAnsweredWithItsCodeMessageAndDetails() {
        ObjectNode envelope = TestEnvelopes.signed(
                TestEnvelopes.message(alice.identity(), alice.keyId(), "human", bob.identity()), alice.key(),
                alice.keyId());
        String threadId = envelope.get("thread_id").asString();
        responder.script(envelope.get("id").asString(), command -> {
            ObjectNode body = LoomJson.mapper().createObjectNode().put("message", "Thread is locked: " + threadId);
            body.putObject("details").put("thread_id", threadId);
            return CommandResult.refusal("msg_refusal_" + command.correlationId(), command.correlationId(),
                    ErrorCode.THREAD_LOCKED, body);
        });

        HttpResponse<String> response = post("/v1/envelopes", envelope, alice.token(), null);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(error(response).path("code").asString()).isEqualTo("THREAD_LOCKED");
        assertThat(error(response).path("message").asString()).isEqualTo("Thread is locked: " + threadId);
        assertThat(error(response).path("details")).isEqualTo(
                LoomJson.mapper().createObjectNode().put("thread_id", threadId));
    }

    @Test
    void requestWithoutBearerTokenIsRefusedBeforeTheBodyIsRead() {
        HttpResponse<String> response = post("/v1/envelopes", "{not json", null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response).path("code").asString()).isEqualTo("SIGNATURE_INVALID");
        assertThat(error(response).path("details").path("field").asString()).isEqualTo("authorization");
    }

    @Test
    void malformedEnvelopeIsRefusedWithEveryValidationError() {
        ObjectNode envelope = TestEnvelopes.message(alice.identity(), alice.keyId(), "human", bob.identity());
        envelope.put("id", "not-an-id");

        HttpResponse<String> response = post("/v1/envelopes", envelope, alice.token(), null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("code").asString()).isEqualTo("ENVELOPE_INVALID");
        assertThat(error(response).path("message").asString()).isEqualTo("Envelope fails validation");
        assertThat(error(response).path("details").path("errors")).isEqualTo(LoomJson.parse(
                "[{\"field\":\"id\",\"reason\":\"must be env_ + ULID\"},"
                        + "{\"field\":\"signature\",\"reason\":\"signature object is required\"}]"));
    }

    @Test
    void envelopeFromAnotherIdentityIsRefusedAsCapabilityDenied() {
        ObjectNode envelope = TestEnvelopes.signed(
                TestEnvelopes.message(bob.identity(), bob.keyId(), "human", alice.identity()), bob.key(), bob.keyId());

        HttpResponse<String> response = post("/v1/envelopes", envelope, alice.token(), null);

        assertRefused(response, 403, "CAPABILITY_DENIED", "Authenticated actor must match envelope.from.identity",
                "{\"actor\":\"" + alice.identity() + "\",\"from\":\"" + bob.identity() + "\"}");
    }

    @Test
    void signatureByAKeyOfAnotherIdentityIsAnUnknownSigningKey() {
        // Bob's key id is registered, but to Bob: it cannot sign for Alice.
        ObjectNode envelope = TestEnvelopes.signed(
                TestEnvelopes.message(alice.identity(), alice.keyId(), "human", bob.identity()), bob.key(),
                bob.keyId());

        HttpResponse<String> response = post("/v1/envelopes", envelope, alice.token(), null);

        assertRefused(response, 401, "SIGNATURE_INVALID", "Unknown signing key: " + bob.keyId(),
                "{\"field\":\"signature.key_id\"}");
    }

    @Test
    void signatureThatDoesNotVerifyIsRefused() {
        ObjectNode envelope = TestEnvelopes.signed(
                TestEnvelopes.message(alice.identity(), alice.keyId(), "human", bob.identity()), bob.key(),
                alice.keyId());

        HttpResponse<String> response = post("/v1/envelopes", envelope, alice.token(), null);

        assertRefused(response, 401, "SIGNATURE_INVALID", "Envelope signature verification failed",
                "{\"field\":\"signature.value\"}");
    }

    @Test
    void senderTypeOtherThanTheRegisteredTypeIsRefused() {
        Sender service = register("billing", "service");
        ObjectNode envelope = TestEnvelopes.signed(
                TestEnvelopes.message(service.identity(), service.keyId(), "human", bob.identity()), service.key(),
                service.keyId());

        HttpResponse<String> response = post("/v1/envelopes", envelope, service.token(), null);

        assertRefused(response, 403, "CAPABILITY_DENIED", "Sender type does not match the registered identity type",
                "{\"expected\":\"service\",\"actual\":\"human\"}");
        assertThat(responder.commandsFor(envelope.get("id").asString())).isEmpty();
    }

    @Test
    void threadOpIsSubmittedThroughTheOpsRouteOfItsThread() {
        String threadId = TestEnvelopes.message(alice.identity(), alice.keyId(), "human", bob.identity())
                .get("thread_id").asString();
        ObjectNode op = TestEnvelopes.signed(
                TestEnvelopes.threadOp(alice.identity(), alice.keyId(), threadId, bob.identity()), alice.key(),
                alice.keyId());

        HttpResponse<String> response = post("/v1/threads/" + threadId + "/ops", op, alice.token(), null);

        assertThat(response.statusCode()).isEqualTo(201);
        List<CommandResponder.Received> commands = responder.commandsFor(op.get("id").asString());
        assertThat(commands).singleElement().satisfies(received -> {
            assertThat(received.key()).isEqualTo(threadId);
            assertThat(received.command().route()).isEqualTo("/v1/threads/" + threadId + "/ops");
        });
    }

    @Test
    void opsRouteNeedsAThreadIdInTheBody() {
        ObjectNode op = TestEnvelopes.threadOp(alice.identity(), alice.keyId(), "thr_X", bob.identity());
        op.remove("thread_id");

        assertRefused(post("/v1/threads/thr_X/ops", op, alice.token(), null), 400, "ENVELOPE_INVALID",
                "Signed thread_op envelopes must include thread_id", "{\"field\":\"thread_id\"}");
    }

    @Test
    void opsRouteNeedsTheBodyThreadToBeThePathThread() {
        ObjectNode op = TestEnvelopes.threadOp(alice.identity(), alice.keyId(), "thr_BODY", bob.identity());

        assertRefused(post("/v1/threads/thr_PATH/ops", op, alice.token(), null), 400, "ENVELOPE_INVALID",
                "thread_id must match path thread id",
                "{\"field\":\"thread_id\",\"path_thread_id\":\"thr_PATH\",\"body_thread_id\":\"thr_BODY\"}");
    }

    @Test
    void opsRouteNeedsAThreadOpEnvelope() {
        ObjectNode message = TestEnvelopes.message(alice.identity(), alice.keyId(), "human", bob.identity());
        String threadId = message.get("thread_id").asString();

        assertRefused(post("/v1/threads/" + threadId + "/ops", message, alice.token(), null), 400,
                "ENVELOPE_INVALID", "/v1/threads/{id}/ops requires type=thread_op", "{\"field\":\"type\"}");
    }

    @Test
    void replyConsumerIsReadyWithPartitionsOfTheResultsTopic() {
        await().atMost(Duration.ofSeconds(30)).until(replies::isReady);

        assertThat(replies.name()).isEqualTo("reply_partitions");
        assertThat(replies.assignedPartitions()).isNotEmpty().allSatisfy(partition ->
                assertThat(partition).isBetween(0, 11));
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code, String message,
            String details) {
        JsonNode error = error(response);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("message").asString()).isEqualTo(message);
        assertThat(error.path("details")).isEqualTo(LoomJson.parse(details));
    }
}
