package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.testsupport.client.NodeAnswer;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every route of the core write path against the embedded node, one row per answer it can give: the status, the
 * error code and the exact members of {@code error.details}, or the exact members of the success body. Rows run in
 * table order against one node, so a row may rely on what an earlier row did (a key added, then revoked).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RouteErrorMatrixTest {

    private static final Set<String> ERROR_MEMBERS = Set.of("code", "message", "details", "request_id", "timestamp");
    private static final Set<String> IDENTITY_DOCUMENT =
            Set.of("id", "type", "display_name", "signing_keys", "created_at", "updated_at");
    private static final Set<String> THREAD_SUMMARY = Set.of("id", "root_envelope_id", "subject", "state",
            "created_at", "updated_at", "participants", "labels", "forks", "linked_threads", "cap_epoch", "encryption");
    private static final Set<String> STORED_ENVELOPE = Set.of("loom", "id", "thread_id", "parent_id", "type", "from",
            "to", "created_at", "content", "signature", "meta");

    private static final String ADMIN_TOKEN = "matrix-admin-secret";

    @TempDir
    static Path dataDir;

    private static LoomNode node;
    private static NodeClient client;
    private static TestIdentity alice;
    private static TestIdentity bob;
    private static TestIdentity carol;
    private static String aliceToken;
    private static String carolToken;
    private static String aliceRefresh;
    private static String threadId;
    private static String envelopeId;
    private static ObjectNode idempotentEnvelope;
    private static final SigningKey EXTRA_KEY = SigningKey.generate();

    @BeforeAll
    static void startNodeWithAConversation() {
        node = LoomNode.start(EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(), "PORT", "0", "LOOM_ADMIN_TOKEN", ADMIN_TOKEN)));
        client = new NodeClient(node.gatewayUrl());
        alice = TestIdentity.generate("loom://alice@matrix.test");
        bob = TestIdentity.generate("loom://bob@matrix.test");
        carol = TestIdentity.generate("loom://carol@matrix.test");
        client.register(alice);
        client.register(bob);
        client.register(carol);
        JsonNode tokens = tokens(alice);
        aliceToken = tokens.get("access_token").stringValue();
        aliceRefresh = tokens.get("refresh_token").stringValue();
        carolToken = client.token(carol);
        threadId = LoomIds.next(IdPrefix.THREAD);
        envelopeId = client.post("/v1/envelopes", aliceToken,
                NodeClient.message(alice, threadId, null, List.of(bob.identity()), "Matrix")).expect(201)
                .get("id").stringValue();
        idempotentEnvelope = NodeClient.message(alice, threadId, envelopeId, List.of(bob.identity()), "Once");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @TestFactory
    Iterator<DynamicTest> everyRouteAnswersAsDocumented() {
        List<Cell> cells = new ArrayList<>();

        // Node document, health, favicon, unknown routes.
        cells.add(ok("GET /.well-known/loom.json", () -> get("/.well-known/loom.json", null), 200,
                "loom_version", "node_id", "domain", "api_url", "websocket_url", "deliver_url", "federation",
                "auth_endpoints", "supported_versions", "supported_profiles", "auth", "generated_at", "request_id"));
        cells.add(ok("GET /health", () -> get("/health", null), 200, "ok", "service", "timestamp"));
        cells.add(ok("GET /ready", () -> get("/ready", null), 200, "ok", "ready", "service", "timestamp", "checks"));
        cells.add(ok("GET /favicon.ico", () -> get("/favicon.ico", null), 204));
        cells.add(error("GET unknown route", () -> get("/v1/no-such-route", null), 404, "ENVELOPE_NOT_FOUND",
                "method", "path"));
        cells.add(error("DELETE /health (known path, other method)", () -> delete("/health", null), 404,
                "ENVELOPE_NOT_FOUND", "method", "path"));

        // POST /v1/identity
        cells.add(ok("POST /v1/identity new", () -> post("/v1/identity", null, registration(
                TestIdentity.generate("loom://dave@matrix.test"))), 201, IDENTITY_DOCUMENT));
        cells.add(error("POST /v1/identity malformed JSON", () -> raw("/v1/identity", null, "{\"id\":"), 400,
                "ENVELOPE_INVALID", "reason"));
        cells.add(error("POST /v1/identity bad address", () -> post("/v1/identity", null, registration(
                TestIdentity.generate("loom://Not Valid@matrix.test"))), 400, "ENVELOPE_INVALID", "field"));
        cells.add(error("POST /v1/identity no keys", () -> post("/v1/identity", null,
                LoomJson.mapper().createObjectNode().put("id", "loom://erin@matrix.test")), 400, "ENVELOPE_INVALID",
                "field"));
        cells.add(error("POST /v1/identity existing, no token", () -> post("/v1/identity", null,
                registration(alice)), 403, "CAPABILITY_DENIED", "identity"));
        cells.add(error("POST /v1/identity existing, type change", () -> post("/v1/identity", aliceToken,
                registration(alice).put("type", "agent")), 409, "STATE_TRANSITION_INVALID", "field", "identity"));
        cells.add(error("POST /v1/identity too large", () -> raw("/v1/identity", null,
                "{\"pad\":\"" + "x".repeat(2_100_000) + "\"}"), 413, "PAYLOAD_TOO_LARGE", "max_body_bytes"));

        // GET /v1/identity/{uri}
        cells.add(ok("GET /v1/identity/{uri}", () -> get(NodeClient.identityPath(bob.identity()), null), 200,
                IDENTITY_DOCUMENT));
        cells.add(error("GET /v1/identity/{uri} unknown", () -> get(NodeClient.identityPath(
                "loom://nobody@matrix.test"), null), 404, "IDENTITY_NOT_FOUND", "identity"));
        cells.add(error("GET /v1/identity/{uri} not UTF-8", () -> get("/v1/identity/loom%3A%2F%2Fa%FF%40m.test",
                null), 400, "ENVELOPE_INVALID"));

        // POST /v1/identity/me/keys and DELETE /v1/identity/me/keys/{key_id}
        cells.add(error("POST /v1/identity/me/keys no token", () -> post("/v1/identity/me/keys", null,
                key("k_extra", EXTRA_KEY)), 401, "SIGNATURE_INVALID", "field"));
        cells.add(ok("POST /v1/identity/me/keys", () -> post("/v1/identity/me/keys", aliceToken,
                key("k_extra", EXTRA_KEY)), 201, IDENTITY_DOCUMENT));
        cells.add(error("POST /v1/identity/me/keys same id", () -> post("/v1/identity/me/keys", aliceToken,
                key("k_extra", SigningKey.generate())), 409, "ENVELOPE_DUPLICATE", "field", "key_id"));
        cells.add(error("POST /v1/identity/me/keys bad PEM", () -> post("/v1/identity/me/keys", aliceToken,
                LoomJson.mapper().createObjectNode().put("key_id", "k_bad").put("public_key_pem", "nope")), 400,
                "ENVELOPE_INVALID", "field"));
        // Found by the route fuzzer on PostgreSQL: its driver stores an unpaired surrogate as '?', so two such ids
        // collided in the table (a 500).
        cells.add(error("POST /v1/identity/me/keys key id with an unpaired surrogate", () -> post(
                "/v1/identity/me/keys", aliceToken, key("k_\ud800", SigningKey.generate())), 400, "ENVELOPE_INVALID",
                "field"));
        cells.add(error("POST /v1/identity/me/keys key id with NUL", () -> post("/v1/identity/me/keys", aliceToken,
                key("k_\u0000", SigningKey.generate())), 400, "ENVELOPE_INVALID", "field"));
        cells.add(error("DELETE /v1/identity/me/keys/{id} unknown", () -> delete("/v1/identity/me/keys/k_none",
                aliceToken), 404, "IDENTITY_NOT_FOUND", "identity", "key_id"));
        cells.add(ok("DELETE /v1/identity/me/keys/{id}", () -> delete("/v1/identity/me/keys/k_extra", aliceToken),
                200, IDENTITY_DOCUMENT));
        cells.add(error("DELETE /v1/identity/me/keys/{id} revoked", () -> delete("/v1/identity/me/keys/k_extra",
                aliceToken), 409, "STATE_TRANSITION_INVALID", "key_id"));
        cells.add(error("DELETE /v1/identity/me/keys/{id} last key", () -> delete("/v1/identity/me/keys/"
                + carol.keyId(), carolToken), 409, "STATE_TRANSITION_INVALID", "key_id"));
        cells.add(error("DELETE /v1/identity/me/keys/{id} no token", () -> delete("/v1/identity/me/keys/k",
                null), 401, "SIGNATURE_INVALID", "field"));

        // POST /v1/auth/challenge|token|refresh
        cells.add(ok("POST /v1/auth/challenge", () -> post("/v1/auth/challenge", null, ask(bob)), 200,
                "challenge_id", "identity", "key_id", "nonce", "expires_at", "algorithm"));
        cells.add(error("POST /v1/auth/challenge no identity", () -> post("/v1/auth/challenge", null,
                LoomJson.mapper().createObjectNode().put("key_id", "k")), 400, "ENVELOPE_INVALID", "field"));
        cells.add(error("POST /v1/auth/challenge unknown identity", () -> post("/v1/auth/challenge", null,
                ask(TestIdentity.generate("loom://ghost@matrix.test"))), 404, "IDENTITY_NOT_FOUND", "identity"));
        cells.add(error("POST /v1/auth/challenge unknown key", () -> post("/v1/auth/challenge", null,
                LoomJson.mapper().createObjectNode().put("identity", bob.identity()).put("key_id", "k_none")), 401,
                "SIGNATURE_INVALID", "field"));
        cells.add(ok("POST /v1/auth/token", () -> post("/v1/auth/token", null, proof(bob)), 200,
                "token_type", "access_token", "refresh_token", "expires_in", "identity", "key_id"));
        cells.add(error("POST /v1/auth/token unknown challenge", () -> post("/v1/auth/token", null,
                proof(bob).put("challenge_id", "chl_unknown")), 401, "SIGNATURE_INVALID", "field"));
        cells.add(error("POST /v1/auth/token used challenge", () -> {
            ObjectNode proof = proof(bob);
            post("/v1/auth/token", null, proof).expect(200);
            return post("/v1/auth/token", null, proof);
        }, 401, "SIGNATURE_INVALID", "field"));
        cells.add(error("POST /v1/auth/token wrong signature", () -> post("/v1/auth/token", null,
                proof(bob).put("signature", SigningKey.generate().sign("x").base64Url())), 401, "SIGNATURE_INVALID",
                "field"));
        cells.add(ok("POST /v1/auth/refresh", () -> post("/v1/auth/refresh", null,
                LoomJson.mapper().createObjectNode().put("refresh_token", aliceRefresh)), 200,
                "token_type", "access_token", "expires_in", "identity", "key_id"));
        cells.add(error("POST /v1/auth/refresh unknown", () -> post("/v1/auth/refresh", null,
                LoomJson.mapper().createObjectNode().put("refresh_token", "rt_unknown")), 401, "SIGNATURE_INVALID",
                "field"));

        // POST /v1/envelopes
        cells.add(error("POST /v1/envelopes no token", () -> post("/v1/envelopes", null, message(alice)), 401,
                "SIGNATURE_INVALID", "field"));
        cells.add(error("POST /v1/envelopes bad token", () -> post("/v1/envelopes", "at_unknown", message(alice)),
                401, "SIGNATURE_INVALID"));
        cells.add(error("POST /v1/envelopes invalid shape", () -> post("/v1/envelopes", aliceToken,
                message(alice).put("loom", "9")), 400, "ENVELOPE_INVALID", "errors"));
        cells.add(error("POST /v1/envelopes actor is not from", () -> post("/v1/envelopes", carolToken,
                message(alice)), 403, "CAPABILITY_DENIED", "actor", "from"));
        cells.add(error("POST /v1/envelopes bad signature", () -> {
            ObjectNode envelope = message(alice);
            envelope.withObject("content").withObject("human").put("text", "changed after signing");
            return post("/v1/envelopes", aliceToken, envelope);
        }, 401, "SIGNATURE_INVALID", "field"));
        cells.add(error("POST /v1/envelopes idempotency key too long", () -> post("/v1/envelopes", aliceToken,
                message(alice), Map.of("Idempotency-Key", "k".repeat(201))), 400, "ENVELOPE_INVALID", "field",
                "max_length"));
        cells.add(ok("POST /v1/envelopes", () -> post("/v1/envelopes", aliceToken, idempotentEnvelope,
                Map.of("Idempotency-Key", "matrix-1")), 201, STORED_ENVELOPE));
        cells.add(ok("POST /v1/envelopes replay", () -> post("/v1/envelopes", aliceToken, idempotentEnvelope,
                Map.of("Idempotency-Key", "matrix-1")), 201, STORED_ENVELOPE));
        cells.add(error("POST /v1/envelopes key reused", () -> post("/v1/envelopes", aliceToken, message(alice),
                Map.of("Idempotency-Key", "matrix-1")), 409, "IDEMPOTENCY_CONFLICT", "scope", "key"));
        // A body just under the 2 MiB limit travels inside a command and an event larger than Kafka's 1 MiB default.
        cells.add(ok("POST /v1/envelopes near the body limit", () -> post("/v1/envelopes", aliceToken,
                NodeClient.message(alice, threadId, envelopeId, List.of(bob.identity()), "x".repeat(1_900_000))),
                201, STORED_ENVELOPE));
        cells.add(error("POST /v1/capabilities thread_id far too long", () -> post("/v1/capabilities", aliceToken,
                LoomJson.mapper().createObjectNode().put("thread_id", "t".repeat(450_000))
                        .put("grantee", bob.identity())), 404, "THREAD_NOT_FOUND"));
        cells.add(error("POST /v1/envelopes duplicate id", () -> post("/v1/envelopes", aliceToken,
                idempotentEnvelope), 409, "ENVELOPE_DUPLICATE", "envelope_id"));
        cells.add(error("POST /v1/envelopes not a participant", () -> post("/v1/envelopes", carolToken,
                NodeClient.message(carol, threadId, envelopeId, List.of(alice.identity()), "Let me in")), 403,
                "CAPABILITY_DENIED", "thread_id", "actor"));

        // Reads
        cells.add(ok("GET /v1/envelopes/{id}", () -> get("/v1/envelopes/" + envelopeId, aliceToken), 200,
                STORED_ENVELOPE));
        cells.add(error("GET /v1/envelopes/{id} unknown", () -> get("/v1/envelopes/"
                + LoomIds.next(IdPrefix.ENVELOPE), aliceToken), 404, "ENVELOPE_NOT_FOUND", "envelope_id"));
        cells.add(error("GET /v1/envelopes/{id} not a participant", () -> get("/v1/envelopes/" + envelopeId,
                carolToken), 404, "ENVELOPE_NOT_FOUND", "envelope_id"));
        cells.add(error("GET /v1/envelopes/{id} no token", () -> get("/v1/envelopes/" + envelopeId, null), 401,
                "SIGNATURE_INVALID", "field"));
        cells.add(ok("GET /v1/threads", () -> get("/v1/threads", aliceToken), 200, "threads"));
        cells.add(error("GET /v1/threads limit=0", () -> get("/v1/threads?limit=0", aliceToken), 400,
                "ENVELOPE_INVALID", "field"));
        cells.add(error("GET /v1/threads bad cursor", () -> get("/v1/threads?cursor=nope", aliceToken), 400,
                "ENVELOPE_INVALID", "field"));
        cells.add(error("GET /v1/threads no token", () -> get("/v1/threads", null), 401, "SIGNATURE_INVALID",
                "field"));
        cells.add(ok("GET /v1/threads/{id}", () -> get("/v1/threads/" + threadId, aliceToken), 200,
                THREAD_SUMMARY));
        cells.add(error("GET /v1/threads/{id} unknown", () -> get("/v1/threads/" + LoomIds.next(IdPrefix.THREAD),
                aliceToken), 404, "THREAD_NOT_FOUND", "thread_id"));
        cells.add(error("GET /v1/threads/{id} not a participant", () -> get("/v1/threads/" + threadId,
                carolToken), 404, "THREAD_NOT_FOUND", "thread_id"));
        cells.add(ok("GET /v1/threads/{id}/envelopes", () -> get("/v1/threads/" + threadId + "/envelopes",
                aliceToken), 200, "thread_id", "envelopes"));
        cells.add(error("GET /v1/threads/{id}/envelopes unknown", () -> get("/v1/threads/"
                + LoomIds.next(IdPrefix.THREAD) + "/envelopes", aliceToken), 404, "THREAD_NOT_FOUND", "thread_id"));

        // Found by the route fuzzer (RouteFuzzTest); each row once answered 500.
        cells.add(error("GET /actuator/health/{group} with an escaped slash", () -> get("/actuator/health/db%2Fx",
                null), 404, "ENVELOPE_NOT_FOUND", "method", "path"));
        cells.add(error("GET /actuator/health/.. with escaped slashes", () -> get("/actuator/health/..%2F..%2F",
                null), 404, "ENVELOPE_NOT_FOUND", "method", "path"));
        cells.add(error("GET /actuator%2Fhealth", () -> get("/actuator%2Fhealth", null), 404, "ENVELOPE_NOT_FOUND",
                "method", "path"));
        cells.add(error("POST /v1/bridge/email/inbound headers member is an object", () -> post(
                "/v1/bridge/email/inbound", aliceToken, inboundEmail().set("headers",
                        LoomJson.mapper().createObjectNode().set("Subject", LoomJson.mapper().createObjectNode()))),
                400, "ENVELOPE_INVALID", "field"));
        cells.add(error("POST /v1/bridge/email/inbound in_reply_to is an object", () -> post(
                "/v1/bridge/email/inbound", aliceToken, inboundEmail().set("in_reply_to",
                        LoomJson.mapper().createObjectNode().put("id", "<a@b>"))), 400, "ENVELOPE_INVALID", "field"));
        cells.add(error("POST /v1/bridge/email/inbound references holds an array", () -> post(
                "/v1/bridge/email/inbound", aliceToken, inboundEmail().set("references",
                        LoomJson.mapper().createArrayNode().add(LoomJson.mapper().createArrayNode()))), 400,
                "ENVELOPE_INVALID", "field"));
        // PostgreSQL cannot index a subject holding NUL; refused before the envelope is stored, on every database.
        cells.add(error("POST /v1/bridge/email/inbound subject with NUL", () -> post("/v1/bridge/email/inbound",
                aliceToken, inboundEmail().put("subject", "a\u0000b")), 400, "ENVELOPE_INVALID", "field",
                "reason"));
        cells.add(error("POST /v1/email/outbox expires_at is an object", () -> post("/v1/email/outbox",
                aliceToken, LoomJson.mapper().createObjectNode().put("envelope_id", envelopeId)
                        .<ObjectNode>set("to_email", LoomJson.mapper().createArrayNode().add("someone@matrix.test"))
                        .set("expires_at", LoomJson.mapper().createObjectNode())), 400, "ENVELOPE_INVALID",
                "field"));
        cells.add(error("POST /v1/federation/nodes replace_signing_keys is a string", () -> post(
                "/v1/federation/nodes", null, remoteNode().put("replace_signing_keys", "yes"),
                Map.of("x-loom-admin-token", ADMIN_TOKEN)), 400, "ENVELOPE_INVALID", "field"));
        cells.add(error("POST /v1/federation/nodes replace_signing_keys is an object", () -> post(
                "/v1/federation/nodes", null, remoteNode().set("replace_signing_keys",
                        LoomJson.mapper().createObjectNode()), Map.of("x-loom-admin-token", ADMIN_TOKEN)), 400,
                "ENVELOPE_INVALID", "field"));
        cells.add(error("POST /v1/federation/nodes/bootstrap allow_insecure_http is a string", () -> post(
                "/v1/federation/nodes/bootstrap", null, LoomJson.mapper().createObjectNode()
                        .put("node_document_url", "https://127.0.0.1:1/.well-known/loom.json")
                        .put("allow_insecure_http", "true"), Map.of("x-loom-admin-token", ADMIN_TOKEN)), 400,
                "ENVELOPE_INVALID", "field"));
        cells.add(error("POST /v1/federation/nodes/bootstrap replace_signing_keys is a number", () -> post(
                "/v1/federation/nodes/bootstrap", null, LoomJson.mapper().createObjectNode()
                        .put("node_document_url", "https://127.0.0.1:1/.well-known/loom.json")
                        .put("replace_signing_keys", 1), Map.of("x-loom-admin-token", ADMIN_TOKEN)), 400,
                "ENVELOPE_INVALID", "field"));
        cells.add(error("POST /v1/admin/persistence/restore format_version is an object", () -> restore(
                LoomJson.mapper().createObjectNode().set("format_version", LoomJson.mapper().createObjectNode())),
                400, "ENVELOPE_INVALID"));
        cells.add(error("POST /v1/admin/persistence/restore a column name is an object", () -> restore(
                backupPart("outbox_relay_lock", "[{\"a\":1}]", "[]")), 400, "ENVELOPE_INVALID"));
        cells.add(error("POST /v1/admin/persistence/restore a value is an object", () -> restore(
                backupPart("outbox_relay_lock", "[\"id\"]", "[[{\"a\":1}]]")), 400, "ENVELOPE_INVALID"));
        cells.add(error("POST /v1/admin/persistence/restore duplicate rows", () -> restore(
                backupPart("outbox_relay_lock", "[\"id\"]", "[[1],[1]]")), 400, "ENVELOPE_INVALID"));
        cells.add(error("POST /v1/admin/persistence/restore null in a NOT NULL column", () -> restore(
                backupPart("outbox_relay_lock", "[\"id\"]", "[[null]]")), 400, "ENVELOPE_INVALID"));
        cells.add(error("POST /v1/admin/persistence/restore no columns", () -> restore(
                backupPart("outbox_relay_lock", "[]", "[[]]")), 400, "ENVELOPE_INVALID"));
        // The node still answers as before: nothing of the refused restores was applied.
        cells.add(ok("GET /v1/threads/{id} after the refused restores", () -> get("/v1/threads/" + threadId,
                aliceToken), 200, THREAD_SUMMARY));

        return cells.stream().map(cell -> DynamicTest.dynamicTest(cell.name(), cell::check)).iterator();
    }

    /** One row: a request and what it must be answered with. */
    private record Cell(String name, Supplier<NodeAnswer> request, int status, String code, Set<String> members) {

        void check() {
            NodeAnswer answer = request.get();
            assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
            if (code == null) {
                if (members != null) {
                    assertThat(names(answer.body())).as(answer.raw()).isEqualTo(members);
                }
                return;
            }
            JsonNode error = answer.body().get("error");
            assertThat(names(error)).as(answer.raw()).isEqualTo(ERROR_MEMBERS);
            assertThat(error.get("code").stringValue()).as(answer.raw()).isEqualTo(code);
            assertThat(error.get("request_id").stringValue())
                    .isEqualTo(answer.headers().firstValue("X-LOOM-Request-Id").orElse(null));
            if (members != null) {
                assertThat(names(error.get("details"))).as(answer.raw()).isEqualTo(members);
            }
        }

        private static Set<String> names(JsonNode object) {
            Set<String> names = new LinkedHashSet<>();
            object.propertyNames().forEach(names::add);
            return names;
        }
    }

    private static Cell ok(String name, Supplier<NodeAnswer> request, int status, String... members) {
        return new Cell(name, request, status, null, members.length == 0 && status == 204 ? null : Set.of(members));
    }

    private static Cell ok(String name, Supplier<NodeAnswer> request, int status, Set<String> members) {
        return new Cell(name, request, status, null, members);
    }

    /** An error row; without detail members given, {@code details} is only checked to be present. */
    private static Cell error(String name, Supplier<NodeAnswer> request, int status, String code,
                              String... details) {
        return new Cell(name, request, status, code, details.length == 0 ? null : Set.of(details));
    }

    private static NodeAnswer get(String path, String token) {
        return client.get(path, token);
    }

    private static NodeAnswer post(String path, String token, JsonNode body) {
        return client.post(path, token, body);
    }

    private static NodeAnswer post(String path, String token, JsonNode body, Map<String, String> headers) {
        return client.post(path, token, body, headers);
    }

    private static NodeAnswer raw(String path, String token, String body) {
        return client.send(client.request(path, token, Map.of()).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static NodeAnswer delete(String path, String token) {
        return client.send(client.request(path, token, Map.of()).DELETE());
    }

    private static ObjectNode registration(TestIdentity identity) {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("id", identity.identity()).put("type", "human");
        body.putArray("signing_keys").add(key(identity.keyId(), identity.key()));
        return body;
    }

    private static ObjectNode key(String keyId, SigningKey key) {
        return LoomJson.mapper().createObjectNode().put("key_id", keyId)
                .put("public_key_pem", key.verifyingKey().toSpkiPem());
    }

    private static ObjectNode ask(TestIdentity identity) {
        return LoomJson.mapper().createObjectNode().put("identity", identity.identity())
                .put("key_id", identity.keyId());
    }

    /** A signed answer to a fresh challenge, ready to exchange at /v1/auth/token. */
    private static ObjectNode proof(TestIdentity identity) {
        JsonNode challenge = post("/v1/auth/challenge", null, ask(identity)).expect(200);
        return ask(identity)
                .put("challenge_id", challenge.get("challenge_id").stringValue())
                .put("signature", identity.key().sign(challenge.get("nonce").stringValue()).base64Url());
    }

    private static JsonNode tokens(TestIdentity identity) {
        return post("/v1/auth/token", null, proof(identity)).expect(200);
    }

    /** An inbound email in the bridge's JSON form, to alice, from an outside address. */
    private static ObjectNode inboundEmail() {
        ObjectNode body = LoomJson.mapper().createObjectNode().put("from", "outsider@mail.matrix.test")
                .put("subject", "Inbound").put("text", "hello");
        body.putArray("to").add(alice.identity());
        return body;
    }

    /** A remote node registration that is valid but for what a row changes. */
    private static ObjectNode remoteNode() {
        return LoomJson.mapper().createObjectNode().put("node_id", "remote.matrix.test").put("key_id", "k_node_1")
                .put("public_key_pem", SigningKey.generate().verifyingKey().toSpkiPem())
                .put("deliver_url", "https://remote.matrix.test/v1/federation/deliver");
    }

    /** The gateway's part of a backup document with one table, columns and rows given as JSON text. */
    private static ObjectNode backupPart(String table, String columns, String rows) {
        ObjectNode part = LoomJson.mapper().createObjectNode().put("format_version", 1);
        part.putObject("tables").putObject(table).set("columns", LoomJson.parse(columns));
        ((ObjectNode) part.get("tables").get(table)).set("rows", LoomJson.parse(rows));
        return part;
    }

    /** A restore of a backup holding only the gateway's part. */
    private static NodeAnswer restore(ObjectNode gatewayPart) {
        ObjectNode body = LoomJson.mapper().createObjectNode().put("confirm", "restore");
        ObjectNode backup = body.putObject("backup").put("loom_backup_version", 1).put("format", "loom-node-services");
        backup.putObject("services").set("api-gateway", gatewayPart);
        return post("/v1/admin/persistence/restore", null, body, Map.of("x-loom-admin-token", ADMIN_TOKEN));
    }

    private static ObjectNode message(TestIdentity from) {
        return NodeClient.message(from, LoomIds.next(IdPrefix.THREAD), null, List.of(bob.identity()), "Hello");
    }
}
