package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.loom.launcher.OperatorClient.bearer;
import static org.loom.launcher.OperatorClient.expect;
import static org.loom.launcher.OperatorClient.headers;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.launcher.OperatorClient.Person;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.federation.HttpSignature;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Dead letters of the outboxes other services own, on the whole embedded node: an email whose SMTP relay is down and
 * a federation delivery whose remote node is down become dead letters that {@code GET /v1/outbox/dlq} lists; the
 * administrator requeues them through {@code POST /v1/outbox/dlq/requeue} at the gateway, and once the destination is
 * back they are delivered. Both outboxes work their items by themselves every 200 ms, and every item gets one attempt.
 */
class DeadLetterRequeueEndToEndTest {

    private static final String ADMIN_TOKEN = "dead-letter-admin-1";
    private static final Map<String, String> ADMIN = headers("x-loom-admin-token", ADMIN_TOKEN);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REMOTE_NODE = "remote-down.test";

    @TempDir
    static Path dataDir;

    private static LoomNode node;
    private static OperatorClient client;
    private static int smtpPort;
    private static int remotePort;
    private static Person alice;
    private static String aliceToken;
    private static String envelopeId;

    @BeforeAll
    static void startNode() throws Exception {
        smtpPort = FreePorts.pick();
        remotePort = FreePorts.pick();
        node = LoomNode.start(EmbeddedNodeSettings.fromEnvironment(Map.ofEntries(
                Map.entry("LOOM_DATA_DIR", dataDir.toString()),
                Map.entry("PORT", "0"),
                Map.entry("LOOM_ADMIN_TOKEN", ADMIN_TOKEN),
                Map.entry("LOOM_OUTBOUND_ALLOW_PRIVATE", "true"),
                Map.entry("LOOM_SMTP_HOST", "127.0.0.1"),
                Map.entry("LOOM_SMTP_PORT", Integer.toString(smtpPort)),
                Map.entry("LOOM_SMTP_DEFAULT_FROM", "relay@node.test"),
                Map.entry("LOOM_SMTP_TIMEOUT_MS", "3000"),
                Map.entry("LOOM_EMAIL_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "200"),
                Map.entry("LOOM_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "200"))));
        client = new OperatorClient(node.gatewayUrl());
        alice = Person.named("alice-dlq");
        Person bob = Person.named("bob-dlq");
        aliceToken = client.enrol(alice);
        client.enrol(bob);
        ObjectNode envelope = OperatorClient.message(alice, LoomIds.next(IdPrefix.THREAD), null,
                List.of(bob.identity()), "Will this get out?");
        envelopeId = expect(client.send("POST", "/v1/envelopes", envelope.toString(), bearer(aliceToken)), 201)
                .path("envelope_id").asString(envelope.path("id").asString());

        SigningKey remoteKey = SigningKey.generate();
        ObjectNode registration = LoomJson.mapper().createObjectNode().put("node_id", REMOTE_NODE)
                .put("domain", REMOTE_NODE).put("key_id", "k_node_sign_remote_1")
                .put("public_key_pem", remoteKey.verifyingKey().toSpkiPem())
                .put("deliver_url", "http://127.0.0.1:" + remotePort + "/v1/federation/deliver");
        expect(client.send("POST", "/v1/federation/nodes", registration.toString(), ADMIN), 201);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void anEmailDeadLetterIsListedRequeuedByTheAdminListedAgainWhenItDiesAgainAndDeliveredOnceTheRelayIsBack()
            throws Exception {
        String id = expect(client.send("POST", "/v1/email/outbox", LoomJson.mapper().createObjectNode()
                .put("envelope_id", envelopeId).put("max_attempts", 1).put("subject", "Requeued")
                .set("to_email", LoomJson.mapper().createArrayNode().add("carol@example.org")).toString(),
                bearer(aliceToken)), 201).path("id").asString();
        JsonNode dead = awaitDeadLetter("email", id);
        assertThat(dead.at("/item/status").asString()).isEqualTo("failed");
        assertThat(dead.at("/item/last_error").asString()).startsWith("Email relay send failed");

        expect(requeue("email", id, Map.of()), 403);
        // Requeued while the relay is still down: it leaves the list, dies again and comes back.
        JsonNode first = expect(requeue("email", id, ADMIN), 200);
        assertThat(first.path("kind").asString()).isEqualTo("email");
        assertThat(first.at("/item/status").asString()).isEqualTo("queued");
        assertThat(first.at("/item/attempts").asInt()).isZero();
        JsonNode again = awaitDeadLetter("email", id);
        assertThat(again.path("updated_at").asString()).isGreaterThan(dead.path("updated_at").asString());

        GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        try {
            expect(requeue("email", id, ADMIN), 200);
            assertThat(deadLetterIds("email")).doesNotContain(id);
            assertThat(mail.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
            assertThat(mail.getReceivedMessages()[0].getSubject()).isEqualTo("Requeued");
            await().atMost(WAIT).until(() -> itemStatus("/v1/email/outbox", id).equals("delivered"));
            assertThat(deadLetterIds("email")).doesNotContain(id);
        } finally {
            mail.stop();
        }
    }

    @Test
    void aFederationDeadLetterIsRequeuedByTheAdminAndDeliveredOnceTheRemoteNodeIsBack() throws Exception {
        String id = expect(client.send("POST", "/v1/federation/outbox", LoomJson.mapper().createObjectNode()
                .put("recipient_node", REMOTE_NODE).put("max_attempts", 1)
                .set("envelope_ids", LoomJson.mapper().createArrayNode().add(envelopeId)).toString(),
                bearer(aliceToken)), 201).path("id").asString();
        JsonNode dead = awaitDeadLetter("federation", id);
        assertThat(dead.at("/item/status").asString()).isEqualTo("failed");

        // Without the admin token: refused at the gateway, through either route.
        expect(requeue("federation", id, Map.of()), 403);
        expect(requeue("federation", id, bearer(aliceToken)), 403);
        expect(client.send("POST", "/v1/federation/outbox/" + id + "/requeue", "{}", bearer(aliceToken)), 403);

        List<JsonNode> deliveries = new CopyOnWriteArrayList<>();
        HttpServer remote = HttpServer.create(new InetSocketAddress("127.0.0.1", remotePort), 0);
        remote.createContext("/v1/federation/deliver", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode delivery = LoomJson.parse(in.readAllBytes());
                if (exchange.getRequestHeaders().getFirst(HttpSignature.SIGNATURE) != null) {
                    deliveries.add(delivery);
                }
                byte[] answer = ("{\"accepted_envelope_ids\":[\"" + envelopeId + "\"]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        remote.start();
        try {
            JsonNode requeued = expect(requeue("federation", id, ADMIN), 200);
            assertThat(requeued.at("/item/status").asString()).isEqualTo("queued");
            assertThat(requeued.at("/item/attempts").asInt()).isZero();
            assertThat(deadLetterIds("federation")).doesNotContain(id);

            await().atMost(WAIT).until(() -> itemStatus("/v1/federation/outbox", id).equals("delivered"));
            assertThat(deliveries).isNotEmpty();
            assertThat(deliveries.get(0).path("envelopes").findValuesAsString("id")).contains(envelopeId);
            assertThat(deadLetterIds("federation")).doesNotContain(id);
        } finally {
            remote.stop(0);
        }
    }

    @Test
    void requeueOfAnUnknownItemIsNotFoundAndABadKindIsRefused() throws Exception {
        for (String kind : List.of("email", "federation")) {
            JsonNode missing = expect(requeue(kind, kind + "_no_such_item", ADMIN), 404);
            assertThat(missing.at("/error/code").asString()).isEqualTo("ENVELOPE_NOT_FOUND");
        }
        JsonNode badKind = expect(client.send("POST", "/v1/outbox/dlq/requeue",
                "{\"kind\":\"pigeon\",\"id\":\"x\"}", ADMIN), 400);
        assertThat(badKind.at("/error/details/field").asString()).isEqualTo("kind");
    }

    private static java.net.http.HttpResponse<String> requeue(String kind, String id, Map<String, String> headers)
            throws Exception {
        return client.send("POST", "/v1/outbox/dlq/requeue", LoomJson.mapper().createObjectNode().put("kind", kind)
                .put("id", id).toString(), headers);
    }

    /** Waits for the item's dead letter in {@code GET /v1/outbox/dlq} and returns its entry. */
    private static JsonNode awaitDeadLetter(String kind, String id) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> deadLetter(kind, id),
                entry -> entry != null);
    }

    private static JsonNode deadLetter(String kind, String id) throws Exception {
        for (JsonNode entry : expect(client.send("GET", "/v1/outbox/dlq?kind=" + kind, null, ADMIN), 200)
                .path("entries")) {
            if (entry.path("id").asString().equals(id)) {
                return entry;
            }
        }
        return null;
    }

    private static List<String> deadLetterIds(String kind) throws Exception {
        return expect(client.send("GET", "/v1/outbox/dlq?kind=" + kind, null, ADMIN), 200).path("entries")
                .findValuesAsString("id");
    }

    private static String itemStatus(String listing, String id) throws Exception {
        for (JsonNode item : expect(client.send("GET", listing, null, bearer(aliceToken)), 200).path("outbox")) {
            if (item.path("id").asString().equals(id)) {
                return item.path("status").asString();
            }
        }
        return "absent";
    }
}
