package org.loom.envelope.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loom.envelope.CommandChannel;
import org.loom.envelope.RunningEnvelopeServiceWithChannel;
import org.loom.envelope.TestEnvelopes;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The internal read routes over real HTTP, on envelopes stored through the write path. */
class ReadRoutesTest extends RunningEnvelopeServiceWithChannel {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "loom://bob@node.test";
    private static final String EVE = "loom://eve@node.test";

    @LocalServerPort
    private int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestEnvelopes envelopes = new TestEnvelopes();
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void envelopeIsReturnedExactlyAsStoredToAParticipant() throws Exception {
        String threadId = TestEnvelopes.newThreadId();
        CommandResult stored = submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, t0, BOB),
                ALICE);
        String id = stored.body().get("id").stringValue();

        HttpResponse<String> response = get("/v1/envelopes/" + id, BOB);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo(LoomJson.write(stored.body()));
    }

    @Test
    void threadEnvelopesComeInCanonicalOrder() throws Exception {
        // R(t0) has children A(t2) and B(t1); C(t1.5) replies to B. The smallest ready envelope goes first:
        // R, B, C, A, not R's branches one after the other.
        String threadId = TestEnvelopes.newThreadId();
        String r = TestEnvelopes.newEnvelopeId();
        String a = TestEnvelopes.newEnvelopeId();
        String b = TestEnvelopes.newEnvelopeId();
        String c = TestEnvelopes.newEnvelopeId();
        submit(envelopes.message(r, threadId, null, ALICE, t0, BOB), ALICE);
        submit(envelopes.message(a, threadId, r, BOB, t0.plusMillis(2000), ALICE), BOB);
        submit(envelopes.message(c, threadId, b, ALICE, t0.plusMillis(1500), BOB), ALICE);
        submit(envelopes.message(b, threadId, r, BOB, t0.plusMillis(1000), ALICE), BOB);

        HttpResponse<String> response = get("/v1/threads/" + threadId + "/envelopes", ALICE);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = LoomJson.parse(response.body());
        assertThat(List.copyOf(body.propertyNames())).containsExactly("thread_id", "envelopes");
        assertThat(body.get("thread_id").stringValue()).isEqualTo(threadId);
        List<String> order = new ArrayList<>();
        body.get("envelopes").forEach(envelope -> order.add(envelope.get("id").stringValue()));
        assertThat(order).containsExactly(r, b, c, a);
        assertThat(body.get("envelopes").get(2).at("/meta/pending_parent").asBoolean()).isTrue();
    }

    @Test
    void threadSummaryHasTheApiShape() throws Exception {
        String threadId = TestEnvelopes.newThreadId();
        String root = TestEnvelopes.newEnvelopeId();
        submit(envelopes.message(root, threadId, null, ALICE, t0, BOB), ALICE);

        HttpResponse<String> response = get("/v1/threads/" + threadId, BOB);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode summary = LoomJson.parse(response.body());
        assertThat(List.copyOf(summary.propertyNames())).containsExactly("id", "root_envelope_id", "subject", "state",
                "created_at", "updated_at", "participants", "labels", "forks", "linked_threads", "cap_epoch",
                "encryption");
        assertThat(summary.get("root_envelope_id").stringValue()).isEqualTo(root);
        assertThat(summary.get("subject").isNull()).isTrue();
        assertThat(summary.get("participants").size()).isEqualTo(2);
        assertThat(LoomJson.write(summary.get("participants").get(0))).isEqualTo("{\"identity\":\"" + ALICE
                + "\",\"role\":\"owner\",\"joined_at\":\"" + summary.get("created_at").stringValue()
                + "\",\"left_at\":null}");
        assertThat(LoomJson.write(summary.get("encryption")))
                .isEqualTo("{\"enabled\":false,\"profile\":null,\"key_epoch\":0}");
    }

    @Test
    void threadListHoldsOnlyTheCallersThreadsMostRecentlyUpdatedFirstAndPages() throws Exception {
        String caller = "loom://lister-" + System.nanoTime() + "@node.test";
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String threadId = TestEnvelopes.newThreadId();
            submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, caller, t0, BOB), caller);
            created.add(threadId);
        }
        submit(envelopes.message(TestEnvelopes.newEnvelopeId(), TestEnvelopes.newThreadId(), null, ALICE, t0, BOB),
                ALICE);

        JsonNode firstPage = LoomJson.parse(get("/v1/threads?limit=2", caller).body());
        JsonNode secondPage = LoomJson.parse(get("/v1/threads?limit=2&cursor="
                + firstPage.get("next_cursor").stringValue(), caller).body());

        List<String> listed = new ArrayList<>();
        firstPage.get("threads").forEach(thread -> listed.add(thread.get("id").stringValue()));
        secondPage.get("threads").forEach(thread -> listed.add(thread.get("id").stringValue()));
        assertThat(listed).containsExactly(created.get(2), created.get(1), created.get(0));
        assertThat(secondPage.has("next_cursor")).isFalse();
    }

    @Test
    void outsiderGetsTheSameNotFoundAsForMissingThreadsAndEnvelopes() throws Exception {
        String threadId = TestEnvelopes.newThreadId();
        CommandResult stored = submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, t0,
                BOB), ALICE);
        String id = stored.body().get("id").stringValue();
        String missingThread = TestEnvelopes.newThreadId();
        String missingEnvelope = TestEnvelopes.newEnvelopeId();

        assertError(get("/v1/threads/" + threadId, EVE), 404, "THREAD_NOT_FOUND", "Thread not found: " + threadId);
        assertError(get("/v1/threads/" + missingThread, EVE), 404, "THREAD_NOT_FOUND",
                "Thread not found: " + missingThread);
        assertError(get("/v1/threads/" + threadId + "/envelopes", EVE), 404, "THREAD_NOT_FOUND",
                "Thread not found: " + threadId);
        assertError(get("/v1/envelopes/" + id, EVE), 404, "ENVELOPE_NOT_FOUND", "Envelope not found: " + id);
        assertError(get("/v1/envelopes/" + missingEnvelope, EVE), 404, "ENVELOPE_NOT_FOUND",
                "Envelope not found: " + missingEnvelope);
        assertThat(LoomJson.parse(get("/v1/threads", EVE).body()).get("threads").size()).isZero();
    }

    @Test
    void readsWithoutAnActorAreUnauthenticated() throws Exception {
        for (String path : List.of("/v1/threads", "/v1/threads/" + TestEnvelopes.newThreadId(),
                "/v1/threads/" + TestEnvelopes.newThreadId() + "/envelopes",
                "/v1/envelopes/" + TestEnvelopes.newEnvelopeId())) {
            HttpResponse<String> response = get(path, null);
            assertError(response, 401, "SIGNATURE_INVALID", "Missing bearer token");
            assertThat(LoomJson.write(LoomJson.parse(response.body()).at("/error/details")))
                    .isEqualTo("{\"field\":\"authorization\"}");
        }
    }

    @Test
    void badLimitOrCursorIsAClientError() throws Exception {
        assertError(get("/v1/threads?limit=ten", ALICE), 400, "ENVELOPE_INVALID", "limit must be an integer");
        assertError(get("/v1/threads?cursor=not-a-cursor", ALICE), 400, "ENVELOPE_INVALID", "cursor is not valid");
    }

    private CommandResult submit(ObjectNode envelope, String actor) {
        CommandResult reply = channel.submit(CommandChannel.commandFor(envelope, actor));
        assertThat(reply.status()).isEqualTo(201);
        return reply;
    }

    private HttpResponse<String> get(String path, String actor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (actor != null) {
            request.header("X-LOOM-Actor", actor);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String message) {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = LoomJson.parse(response.body()).get("error");
        assertThat(error.get("code").stringValue()).isEqualTo(code);
        assertThat(error.get("message").stringValue()).isEqualTo(message);
    }
}
