package org.loom.node.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One well-formed request per mapped route, the starting point the mutations work from. The table below is the one
 * place to look when a route is added: the coverage test fails until the route has a row here, and a row whose route
 * no longer exists fails it too.
 *
 * <p>Requests act as the fuzzer identity or the operator, never as the identities whose reads are checked after the
 * pass; bodies that would change those identities' view (a restore, a key revocation) are built so that they are
 * refused, and mutations only make a request less valid.
 */
final class RouteFixtures {

    /** Who a request is sent as. */
    enum Auth {
        NONE, BEARER, ADMIN
    }

    /** A request before it is sent: method, already-encoded path, query, extra headers and body. */
    record Request(String method, String path, List<String[]> query, List<String[]> headers, byte[] body) {

        Request query(String name, String value) {
            List<String[]> more = new ArrayList<>(query);
            more.add(new String[] {name, value});
            return new Request(method, path, more, headers, body);
        }

        Request header(String name, String value) {
            List<String[]> more = new ArrayList<>(headers);
            more.add(new String[] {name, value});
            return new Request(method, path, query, more, body);
        }

        Request json(JsonNode document) {
            return new Request(method, path, query, header("Content-Type", "application/json").headers(),
                    LoomJson.writeBytes(document));
        }

        Request text(String contentType, String text) {
            return new Request(method, path, query, header("Content-Type", contentType).headers(),
                    text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A route ({@code METHOD pattern}, as the request mappings name it), who calls it, and how to build the call. */
    record Fixture(String route, Auth auth, Function<FuzzWorld, Request> request) {

        String method() {
            return route.substring(0, route.indexOf(' '));
        }

        String pattern() {
            return route.substring(route.indexOf(' ') + 1);
        }
    }

    private static final Map<String, Fixture> FIXTURES = new LinkedHashMap<>();

    static {
        // Public documents, health and the console.
        add("GET /", Auth.NONE, w -> get("/"));
        add("GET /.well-known/loom.json", Auth.NONE, w -> get("/.well-known/loom.json"));
        add("GET /favicon.ico", Auth.NONE, w -> get("/favicon.ico"));
        add("GET /health", Auth.NONE, w -> get("/health"));
        add("GET /ready", Auth.NONE, w -> get("/ready"));
        add("GET /console/{asset:console\\.(?:js|css)}", Auth.NONE, w -> get("/console/console.js"));
        add("ANY /error", Auth.NONE, w -> get("/error"));
        add("GET /metrics", Auth.ADMIN, w -> get("/metrics"));
        add("GET /v1/federation/hello", Auth.NONE, w -> get("/v1/federation/hello"));

        // Actuator and internal routes, mapped on the gateway as on every service.
        add("GET /actuator", Auth.NONE, w -> get("/actuator"));
        add("GET /actuator/health", Auth.NONE, w -> get("/actuator/health"));
        add("GET /actuator/health/**", Auth.NONE, w -> get("/actuator/health/db"));
        add("GET /actuator/info", Auth.NONE, w -> get("/actuator/info"));
        add("GET /actuator/prometheus", Auth.NONE, w -> get("/actuator/prometheus"));
        add("GET /internal/status", Auth.NONE, w -> get("/internal/status"));
        add("GET /internal/persistence/schema", Auth.NONE, w -> get("/internal/persistence/schema"));
        add("GET /internal/persistence/export", Auth.NONE, w -> get("/internal/persistence/export"));
        // Not a backup document: an import must never succeed here.
        add("POST /internal/persistence/import", Auth.NONE, w -> post("/internal/persistence/import")
                .json(object().put("format", "not-a-backup")));

        // Identities and proof of key.
        add("POST /v1/identity", Auth.NONE, w -> post("/v1/identity").json(registration(
                TestIdentity.generate("loom://f" + LoomIds.next(IdPrefix.NONCE).substring(6).toLowerCase()
                        + "@fuzz.test"))));
        add("GET /v1/identity/{*identity}", Auth.NONE, w -> get(NodeClient.identityPath(w.alice().identity())));
        add("POST /v1/identity/me/keys", Auth.BEARER, w -> post("/v1/identity/me/keys").json(object()
                .put("key_id", "k_" + LoomIds.next(IdPrefix.NONCE).substring(6).toLowerCase())
                .put("public_key_pem", SigningKey.generate().verifyingKey().toSpkiPem())));
        // A key the fuzzer never had: its one real key is never the target.
        add("DELETE /v1/identity/me/keys/{keyId}", Auth.BEARER, w -> delete("/v1/identity/me/keys/k_not_a_key"));
        add("POST /v1/auth/challenge", Auth.NONE, w -> post("/v1/auth/challenge").json(object()
                .put("identity", w.fuzzer().identity()).put("key_id", w.fuzzer().keyId())));
        add("POST /v1/auth/token", Auth.NONE, w -> post("/v1/auth/token").json(object()
                .put("identity", w.fuzzer().identity()).put("key_id", w.fuzzer().keyId())
                .put("challenge_id", LoomIds.next(IdPrefix.CHALLENGE))
                .put("signature", w.fuzzer().key().sign("not the nonce").base64Url())));
        add("POST /v1/auth/refresh", Auth.NONE, w -> post("/v1/auth/refresh").json(object()
                .put("refresh_token", w.fuzzerRefreshToken())));

        // Envelopes, thread operations and reads.
        add("POST /v1/envelopes", Auth.BEARER, w -> post("/v1/envelopes").json(NodeClient.message(w.fuzzer(),
                LoomIds.next(IdPrefix.THREAD), null, List.of(w.alice().identity()), "fuzz message")));
        add("POST /v1/threads/{threadId}/ops", Auth.BEARER, w -> post("/v1/threads/" + w.fuzzThreadId() + "/ops")
                .json(threadOp(w, "thread.update@v1", object().put("subject", "fuzzed subject"))));
        add("GET /v1/envelopes/{envelopeId}", Auth.BEARER, w -> get("/v1/envelopes/" + w.fuzzEnvelopeId()));
        add("GET /v1/threads", Auth.BEARER, w -> get("/v1/threads").query("limit", "20"));
        add("GET /v1/threads/{threadId}", Auth.BEARER, w -> get("/v1/threads/" + w.fuzzThreadId()));
        add("GET /v1/threads/{threadId}/envelopes", Auth.BEARER,
                w -> get("/v1/threads/" + w.fuzzThreadId() + "/envelopes"));
        add("GET /v1/search", Auth.BEARER, w -> get("/v1/search").query("q", "fuzz").query("limit", "10")
                .query("after", "2020-01-01T00:00:00Z"));
        add("GET /v1/mailbox/threads/{threadId}", Auth.BEARER,
                w -> get("/v1/mailbox/threads/" + w.fuzzThreadId()));
        add("POST /v1/mailbox/threads/{threadId}", Auth.BEARER, w -> post("/v1/mailbox/threads/"
                + w.fuzzThreadId()).json(object().set("add", LoomJson.mapper().createArrayNode().add("fuzz"))));
        add("POST /v1/mailbox/threads/{threadId}/archive", Auth.BEARER,
                w -> post("/v1/mailbox/threads/" + w.fuzzThreadId() + "/archive").json(object()));
        add("POST /v1/mailbox/threads/{threadId}/trash", Auth.BEARER,
                w -> post("/v1/mailbox/threads/" + w.fuzzThreadId() + "/trash").json(object()));

        // Capabilities and delegations.
        add("POST /v1/capabilities", Auth.BEARER, w -> post("/v1/capabilities").json(object()
                .put("thread_id", w.fuzzThreadId()).put("issued_to", w.alice().identity())
                .put("single_use", true).put("expires_at", Timestamps.format(Instant.now().plusSeconds(3600)))
                .set("grants", LoomJson.mapper().createArrayNode().add("resolve"))));
        add("GET /v1/capabilities", Auth.BEARER, w -> get("/v1/capabilities").query("thread_id", w.fuzzThreadId()));
        add("DELETE /v1/capabilities/{capabilityId}", Auth.BEARER,
                w -> delete("/v1/capabilities/" + LoomIds.next(IdPrefix.CAPABILITY)));
        add("POST /v1/delegations", Auth.BEARER, w -> post("/v1/delegations").json(object()
                .put("id", LoomIds.next(IdPrefix.DELEGATION)).put("delegator", w.fuzzer().identity())
                .put("delegate", "loom://agent@fuzz.test").put("created_at", Timestamps.format(Instant.now()))
                .put("key_id", w.fuzzer().keyId()).put("signature", "not-a-signature")
                .set("scope", LoomJson.mapper().createArrayNode().add("message.send@v1"))));
        add("GET /v1/delegations", Auth.BEARER, w -> get("/v1/delegations").query("role", "all"));
        add("DELETE /v1/delegations/{delegationId}", Auth.BEARER,
                w -> delete("/v1/delegations/" + LoomIds.next(IdPrefix.DELEGATION)));

        // Blobs.
        add("POST /v1/blobs", Auth.BEARER, w -> post("/v1/blobs").json(object().put("thread_id", w.fuzzThreadId())
                .put("filename", "fuzz.txt").put("mime_type", "text/plain").put("size_bytes", 5)));
        add("PUT /v1/blobs/{blobId}/parts/{partNumber}", Auth.BEARER, w -> request("PUT", "/v1/blobs/"
                + LoomIds.next(IdPrefix.BLOB) + "/parts/1").json(object().put("data_base64", "aGVsbG8=")));
        add("POST /v1/blobs/{blobId}/complete", Auth.BEARER,
                w -> post("/v1/blobs/" + w.blobId() + "/complete").json(object()));
        add("GET /v1/blobs/{blobId}", Auth.BEARER, w -> get("/v1/blobs/" + w.blobId()));

        // Audit.
        add("GET /v1/audit", Auth.BEARER, w -> get("/v1/audit").query("limit", "10"));
        add("GET /v1/audit/verify", Auth.ADMIN, w -> get("/v1/audit/verify"));

        // Federation.
        add("GET /v1/federation/nodes", Auth.BEARER, w -> get("/v1/federation/nodes"));
        add("POST /v1/federation/nodes", Auth.ADMIN, w -> post("/v1/federation/nodes").json(object()
                .put("node_id", "remote.fuzz.test").put("key_id", "k_node_1")
                .put("public_key_pem", SigningKey.generate().verifyingKey().toSpkiPem())
                .put("deliver_url", "https://remote.fuzz.test/v1/federation/deliver").put("policy", "quarantine")));
        // Loopback is refused as a fetch target, so the fixture never waits on a network that is not there.
        add("POST /v1/federation/nodes/bootstrap", Auth.ADMIN, w -> post("/v1/federation/nodes/bootstrap")
                .json(object().put("url", "https://127.0.0.1:1")));
        add("POST /v1/federation/deliver", Auth.NONE, w -> post("/v1/federation/deliver")
                .header("x-loom-node", "remote.fuzz.test").header("x-loom-key-id", "k_node_1")
                .header("x-loom-timestamp", Timestamps.format(Instant.now()))
                .header("x-loom-nonce", LoomIds.next(IdPrefix.NONCE)).header("x-loom-signature", "AAAA")
                .json(object().put("loom", "1.1").put("sender_node", "remote.fuzz.test")
                        .set("envelopes", LoomJson.mapper().createArrayNode())));
        add("POST /v1/federation/challenge", Auth.NONE, w -> post("/v1/federation/challenge")
                .header("x-loom-node", "remote.fuzz.test").header("x-loom-key-id", "k_node_1")
                .header("x-loom-timestamp", Timestamps.format(Instant.now()))
                .header("x-loom-nonce", LoomIds.next(IdPrefix.NONCE)).header("x-loom-signature", "AAAA")
                .json(object().put("node_id", "remote.fuzz.test")));
        add("GET /v1/federation/outbox", Auth.BEARER, w -> get("/v1/federation/outbox").query("status", "queued")
                .query("limit", "10"));
        add("POST /v1/federation/outbox", Auth.BEARER, w -> post("/v1/federation/outbox").json(object()
                .put("recipient_node", "remote.fuzz.test")
                .set("envelope_ids", LoomJson.mapper().createArrayNode().add(w.fuzzEnvelopeId()))));
        add("POST /v1/federation/outbox/process", Auth.BEARER,
                w -> post("/v1/federation/outbox/process").json(object().put("limit", 5)));
        add("POST /v1/federation/outbox/{outboxId}/process", Auth.BEARER, w -> post("/v1/federation/outbox/"
                + LoomIds.next(IdPrefix.FEDERATION_OUTBOX) + "/process").json(object()));
        add("POST /v1/federation/outbox/{outboxId}/requeue", Auth.ADMIN, w -> post("/v1/federation/outbox/"
                + LoomIds.next(IdPrefix.FEDERATION_OUTBOX) + "/requeue").json(object()));

        // Email.
        add("POST /v1/bridge/email/outbound", Auth.BEARER, w -> post("/v1/bridge/email/outbound").json(object()
                .put("envelope_id", w.fuzzEnvelopeId()).put("subject", "Fuzz")));
        add("POST /v1/bridge/email/send", Auth.BEARER, w -> post("/v1/bridge/email/send").json(object()
                .put("envelope_id", w.fuzzEnvelopeId())
                .set("to_email", LoomJson.mapper().createArrayNode().add("someone@fuzz.test"))));
        add("POST /v1/bridge/email/inbound", Auth.BEARER, w -> post("/v1/bridge/email/inbound").json(object()
                .put("from", "outsider@mail.fuzz.test").put("subject", "Inbound fuzz").put("text", "hello")
                .set("to", LoomJson.mapper().createArrayNode().add(w.fuzzer().identity()))));
        add("POST /v1/gateway/smtp/submit", Auth.BEARER, w -> post("/v1/gateway/smtp/submit").text(
                "message/rfc822", "From: " + w.fuzzer().identity() + "\r\nTo: someone@fuzz.test\r\n"
                        + "Subject: Submitted\r\n\r\nBody\r\n"));
        add("GET /v1/email/outbox", Auth.BEARER, w -> get("/v1/email/outbox").query("status", "queued")
                .query("limit", "10"));
        add("POST /v1/email/outbox", Auth.BEARER, w -> post("/v1/email/outbox").json(object()
                .put("envelope_id", w.fuzzEnvelopeId()).put("max_attempts", 1)
                .set("to_email", LoomJson.mapper().createArrayNode().add("someone@fuzz.test"))));
        add("POST /v1/email/outbox/process", Auth.BEARER,
                w -> post("/v1/email/outbox/process").json(object().put("limit", 5)));
        add("POST /v1/email/outbox/{id}/process", Auth.BEARER, w -> post("/v1/email/outbox/"
                + LoomIds.next(IdPrefix.EMAIL_OUTBOX) + "/process").json(object()));
        add("POST /v1/email/outbox/{id}/requeue", Auth.BEARER, w -> post("/v1/email/outbox/"
                + LoomIds.next(IdPrefix.EMAIL_OUTBOX) + "/requeue").json(object()));
        add("GET /v1/gateway/imap/folders", Auth.BEARER, w -> get("/v1/gateway/imap/folders"));
        add("GET /v1/gateway/imap/folders/{folder}/messages", Auth.BEARER,
                w -> get("/v1/gateway/imap/folders/INBOX/messages").query("limit", "10"));

        // Webhooks and dead letters (admin). Inactive, so nothing is ever delivered to the made-up receiver.
        add("POST /v1/webhooks", Auth.ADMIN, w -> post("/v1/webhooks").json(object()
                .put("url", "https://hooks.fuzz.test/loom").put("active", false).put("max_attempts", 1)
                .set("events", LoomJson.mapper().createArrayNode().add("*"))));
        add("GET /v1/webhooks", Auth.ADMIN, w -> get("/v1/webhooks"));
        add("DELETE /v1/webhooks/{id}", Auth.ADMIN, w -> delete("/v1/webhooks/" + LoomIds.next(IdPrefix.WEBHOOK)));
        add("GET /v1/webhooks/outbox", Auth.ADMIN, w -> get("/v1/webhooks/outbox").query("status", "queued")
                .query("limit", "10"));
        add("POST /v1/webhooks/outbox/process", Auth.ADMIN,
                w -> post("/v1/webhooks/outbox/process").json(object().put("limit", 5)));
        add("POST /v1/webhooks/outbox/{id}/process", Auth.ADMIN, w -> post("/v1/webhooks/outbox/"
                + LoomIds.next(IdPrefix.WEBHOOK_OUTBOX) + "/process").json(object()));
        add("GET /v1/outbox/dlq", Auth.ADMIN, w -> get("/v1/outbox/dlq").query("kind", "all").query("limit", "10"));
        add("POST /v1/outbox/dlq/requeue", Auth.ADMIN, w -> post("/v1/outbox/dlq/requeue").json(object()
                .put("kind", "webhook").put("id", LoomIds.next(IdPrefix.WEBHOOK_OUTBOX))));

        // Operator routes.
        add("GET /v1/admin/status", Auth.ADMIN, w -> get("/v1/admin/status"));
        add("GET /v1/admin/persistence/schema", Auth.ADMIN, w -> get("/v1/admin/persistence/schema"));
        add("GET /v1/admin/persistence/backup", Auth.ADMIN, w -> get("/v1/admin/persistence/backup"));
        // A document with no parts: refused before anything is replaced, whatever the mutations do to it.
        add("POST /v1/admin/persistence/restore", Auth.ADMIN, w -> post("/v1/admin/persistence/restore")
                .json(object().put("confirm", "restore").set("backup", object().put("loom_backup_version", 1)
                        .put("format", "loom-node-services").set("services", object()))));
    }

    private RouteFixtures() {
    }

    /** Every fixture by route. */
    static Map<String, Fixture> all() {
        return FIXTURES;
    }

    private static void add(String route, Auth auth, Function<FuzzWorld, Request> request) {
        if (FIXTURES.put(route, new Fixture(route, auth, request)) != null) {
            throw new IllegalStateException("two fixtures for " + route);
        }
    }

    private static Request request(String method, String path) {
        return new Request(method, path, List.of(), List.of(), new byte[0]);
    }

    private static Request get(String path) {
        return request("GET", path);
    }

    private static Request post(String path) {
        return request("POST", path);
    }

    private static Request delete(String path) {
        return request("DELETE", path);
    }

    private static ObjectNode object() {
        return LoomJson.mapper().createObjectNode();
    }

    private static ObjectNode registration(TestIdentity identity) {
        ObjectNode body = object().put("id", identity.identity()).put("type", "human");
        body.putArray("signing_keys").addObject().put("key_id", identity.keyId())
                .put("public_key_pem", identity.key().verifyingKey().toSpkiPem());
        return body;
    }

    /** A signed {@code thread_op} envelope from the fuzzer in its own thread. */
    private static ObjectNode threadOp(FuzzWorld world, String intent, ObjectNode parameters) {
        ObjectNode envelope = NodeClient.message(world.fuzzer(), world.fuzzThreadId(), world.fuzzEnvelopeId(),
                List.of(world.alice().identity()), "operation");
        envelope.remove("signature");
        envelope.put("type", "thread_op");
        ObjectNode structured = envelope.withObject("content").putObject("structured");
        structured.put("intent", intent).set("parameters", parameters);
        return EnvelopeSignatures.sign(envelope, world.fuzzer().key(), world.fuzzer().keyId());
    }
}
