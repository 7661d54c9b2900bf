package org.loom.gateway.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loom.gateway.idempotency.IdempotencyStore;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.node.ObjectNode;

class IdempotentSubmissionTest extends RunningGatewayWithResponder {

    private static final String REPLAY = "X-LOOM-Idempotency-Replay";

    @Autowired
    private IdempotencyStore store;

    private Sender alice;
    private Sender bob;
    private String key;

    @BeforeEach
    void identities() {
        alice = register("alice", "human");
        bob = register("bob", "human");
        key = "key-" + UUID.randomUUID();
    }

    @Test
    void lateDecisionIsPendingThenReplayedToTheRetryWithTheSameKey() {
        ObjectNode envelope = signedMessage();
        String envelopeId = envelope.get("id").asString();
        responder.hold(envelopeId);

        HttpResponse<String> pending = post("/v1/envelopes", envelope, alice.token(), key);

        assertThat(pending.statusCode()).isEqualTo(503);
        assertThat(pending.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(error(pending).path("code").asString()).isEqualTo("DECISION_PENDING");
        assertThat(error(pending).path("message").asString()).isEqualTo(
                "The node accepted the envelope but has not confirmed its outcome yet; retry with the same "
                        + "Idempotency-Key");
        String correlationId = responder.commandsFor(envelopeId).get(0).command().correlationId();
        assertThat(error(pending).path("details")).isEqualTo(LoomJson.mapper().createObjectNode()
                .put("correlation_id", correlationId).put("retry_after_ms", 1000));

        HttpResponse<String> stillPending = post("/v1/envelopes", envelope, alice.token(), key);
        assertThat(stillPending.statusCode()).isEqualTo(503);
        assertThat(error(stillPending).path("details").path("correlation_id").asString()).isEqualTo(correlationId);
        assertThat(stillPending.headers().firstValue("Retry-After")).hasValue("1");

        responder.release(envelopeId);
        String scope = "actor:" + alice.identity() + ":POST:/v1/envelopes";
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.find(scope, key).filter(record -> !record.pending()).isPresent());

        HttpResponse<String> retry = post("/v1/envelopes", envelope, alice.token(), key);

        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue(REPLAY)).hasValue("true");
        assertThat(retry.body()).isEqualTo(LoomJson.write(CommandResponder.stored(
                responder.commandsFor(envelopeId).get(0).command()).body()));
        assertThat(responder.commandsFor(envelopeId)).hasSize(1);
    }

    @Test
    void lateRefusalIsReplayedAsTheOriginalError() {
        ObjectNode envelope = signedMessage();
        String envelopeId = envelope.get("id").asString();
        responder.hold(envelopeId);
        responder.script(envelopeId, command -> CommandResult.refusal("msg_dup_" + command.correlationId(),
                command.correlationId(), ErrorCode.ENVELOPE_DUPLICATE,
                LoomJson.parse("{\"error\":{\"code\":\"ENVELOPE_DUPLICATE\",\"message\":\"Envelope already exists: "
                        + envelopeId + "\",\"details\":{\"envelope_id\":\"" + envelopeId + "\"}}}")));

        assertThat(post("/v1/envelopes", envelope, alice.token(), key).statusCode()).isEqualTo(503);
        responder.release(envelopeId);
        await().atMost(Duration.ofSeconds(30)).until(() -> store
                .find("actor:" + alice.identity() + ":POST:/v1/envelopes", key)
                .filter(record -> !record.pending()).isPresent());

        HttpResponse<String> retry = post("/v1/envelopes", envelope, alice.token(), key);

        assertThat(retry.statusCode()).isEqualTo(409);
        assertThat(retry.headers().firstValue(REPLAY)).hasValue("true");
        assertThat(error(retry).path("code").asString()).isEqualTo("ENVELOPE_DUPLICATE");
        assertThat(error(retry).path("message").asString()).isEqualTo("Envelope already exists: " + envelopeId);
        assertThat(error(retry).path("details").path("envelope_id").asString()).isEqualTo(envelopeId);
        assertThat(error(retry).path("request_id").asString()).startsWith("req_");
        assertThat(responder.commandsFor(envelopeId)).hasSize(1);
    }

    @Test
    void successIsReplayedWithoutSubmittingAgain() {
        ObjectNode envelope = signedMessage();

        HttpResponse<String> first = post("/v1/envelopes", envelope, alice.token(), key);
        HttpResponse<String> second = post("/v1/envelopes", envelope, alice.token(), "  " + key + "  ");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue(REPLAY)).isEmpty();
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.headers().firstValue(REPLAY)).hasValue("true");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(responder.commandsFor(envelope.get("id").asString())).hasSize(1);
    }

    @Test
    void keyReusedWithADifferentBodyIsAConflict() {
        ObjectNode envelope = signedMessage();
        assertThat(post("/v1/envelopes", envelope, alice.token(), key).statusCode()).isEqualTo(201);

        // The same envelope, sent with different spacing: the raw bytes differ, so it is a different request.
        HttpResponse<String> reused = post("/v1/envelopes", " " + LoomJson.write(envelope), alice.token(), key);

        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(error(reused).path("code").asString()).isEqualTo("IDEMPOTENCY_CONFLICT");
        assertThat(error(reused).path("message").asString())
                .isEqualTo("Idempotency key was already used with different payload");
        assertThat(error(reused).path("details")).isEqualTo(LoomJson.mapper().createObjectNode()
                .put("scope", "actor:" + alice.identity() + ":POST:/v1/envelopes").put("key", key));
    }

    @Test
    void keysAreScopedByActor() {
        ObjectNode fromAlice = signedMessage();
        ObjectNode fromBob = TestEnvelopes.signed(
                TestEnvelopes.message(bob.identity(), bob.keyId(), "human", alice.identity()), bob.key(), bob.keyId());

        assertThat(post("/v1/envelopes", fromAlice, alice.token(), key).statusCode()).isEqualTo(201);
        HttpResponse<String> bobs = post("/v1/envelopes", fromBob, bob.token(), key);

        assertThat(bobs.statusCode()).isEqualTo(201);
        assertThat(bobs.headers().firstValue(REPLAY)).isEmpty();
        assertThat(responder.commandsFor(fromBob.get("id").asString())).hasSize(1);
    }

    @Test
    void keyLongerThan200CharactersIsRefused() {
        HttpResponse<String> response = post("/v1/envelopes", signedMessage(), alice.token(), "k".repeat(201));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("code").asString()).isEqualTo("ENVELOPE_INVALID");
        assertThat(error(response).path("message").asString()).isEqualTo("Idempotency key too long");
        assertThat(error(response).path("details")).isEqualTo(LoomJson.mapper().createObjectNode()
                .put("field", "idempotency_key").put("max_length", 200));
    }

    @Test
    void failedRequestIsExecutedAgainOnRetry() {
        ObjectNode envelope = signedMessage();
        String envelopeId = envelope.get("id").asString();
        responder.script(envelopeId, command -> CommandResult.refusal("msg_locked_" + command.correlationId(),
                command.correlationId(), ErrorCode.THREAD_LOCKED,
                LoomJson.parse("{\"message\":\"Thread is locked\",\"details\":{}}")));

        HttpResponse<String> refused = post("/v1/envelopes", envelope, alice.token(), key);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(error(refused).path("code").asString()).isEqualTo("THREAD_LOCKED");

        responder.script(envelopeId, CommandResponder::stored);
        HttpResponse<String> retry = post("/v1/envelopes", envelope, alice.token(), key);

        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue(REPLAY)).isEmpty();
        assertThat(responder.commandsFor(envelopeId)).hasSize(2);
    }

    @Test
    void invalidEnvelopeReleasesItsKey() {
        ObjectNode envelope = signedMessage();
        ObjectNode broken = envelope.deepCopy().put("loom", "0.9");

        assertThat(post("/v1/envelopes", broken, alice.token(), key).statusCode()).isEqualTo(400);
        assertThat(store.find("actor:" + alice.identity() + ":POST:/v1/envelopes", key)).isEmpty();
    }

    @Test
    void opsRouteHonoursIdempotencyKeysToo() {
        String threadId = signedMessage().get("thread_id").asString();
        ObjectNode op = TestEnvelopes.signed(
                TestEnvelopes.threadOp(alice.identity(), alice.keyId(), threadId, bob.identity()), alice.key(),
                alice.keyId());
        String path = "/v1/threads/" + threadId + "/ops";

        HttpResponse<String> first = post(path, op, alice.token(), key);
        HttpResponse<String> second = post(path, op, alice.token(), key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.headers().firstValue(REPLAY)).hasValue("true");
        assertThat(responder.commandsFor(op.get("id").asString())).hasSize(1);
        assertThat(store.find("actor:" + alice.identity() + ":POST:" + path, key)).isPresent();
    }

    private ObjectNode signedMessage() {
        return TestEnvelopes.signed(TestEnvelopes.message(alice.identity(), alice.keyId(), "human", bob.identity()),
                alice.key(), alice.keyId());
    }
}
