package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.federation.DeliveryReceipt;
import org.loom.protocol.federation.HttpSignature;
import org.loom.protocol.federation.NodeKeyDirectory;
import org.loom.protocol.federation.SignedRequestHeaders;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.CanonicalJson;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two whole nodes side by side, each with its own broker, database, node id, domain and port, federating through their
 * public gateways. Node B registers node A by bootstrap, node A registers node B by hand; people on each node write to
 * people on the other. Guard cases are sent by this test as further "nodes" it registers with keys it holds, one node
 * id per case, so one case's failures do not move another's reputation.
 *
 * <p>Node B runs with small limits: 12 requests per node and window, 3 envelopes per delivery, quarantine after 3
 * failures and deny after 14, challenge escalation on, strict receipts, and its outbox processed only on request.
 * Node A allows 12 federation requests per window in all (the test of that global limit runs last) and works its
 * outbox by itself every 300 ms with short backoffs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationBetweenNodesTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Clock CLOCK = Clock.systemUTC();
    private static final String ADMIN_TOKEN = "federation-admin-" + System.nanoTime();
    /** The node registry is the administrator's: registrations and bootstraps carry the admin token. */
    private static final Map<String, String> AS_ADMIN = Map.of("x-loom-admin-token", ADMIN_TOKEN);

    private static Path dataDirs;
    private static LoomNode nodeA;
    private static LoomNode nodeB;
    private static Map<String, String> nodeBEnvironment;
    private static Person alice;
    private static Person bob;
    private static String aliceToken;
    private static String bobToken;

    /** On H2 files; the PostgreSQL variant of this class gives each node its own schemas instead. */
    @BeforeAll
    static void startTwoNodes(TestInfo test) throws Exception {
        if (test.getTestClass().orElseThrow() == FederationBetweenNodesOnPostgresTest.class) {
            startTwoNodes(FederationBetweenNodesOnPostgresTest.store("a"),
                    FederationBetweenNodesOnPostgresTest.store("b"));
        } else {
            startTwoNodes(Map.of(), Map.of());
        }
    }

    /** Starts both nodes, each with {@code storeA} / {@code storeB} added to its environment (its database). */
    private static void startTwoNodes(Map<String, String> storeA, Map<String, String> storeB) throws Exception {
        carol = null;
        dataDirs = Files.createTempDirectory("loom-federation");
        Map<String, String> common = Map.of(
                "LOOM_ADMIN_TOKEN", ADMIN_TOKEN,
                "LOOM_OUTBOUND_ALLOW_PRIVATE", "true",
                "LOOM_DECISION_TIMEOUT_MS", "60000",
                "LOOM_FEDERATION_DECISION_TIMEOUT_MS", "60000");
        // Each node's settings name its own port, so each gets its port just before it starts (see NodesOnFreePorts).
        nodeA = NodesOnFreePorts.start(portA -> {
            Map<String, String> a = new HashMap<>(common);
            a.putAll(Map.of("LOOM_DATA_DIR", dataDirs.resolve("a").toString(), "PORT", Integer.toString(portA),
                    "LOOM_NODE_ID", "node-a.test", "LOOM_DOMAIN", "node-a.test",
                    "LOOM_PUBLIC_BASE_URL", "http://127.0.0.1:" + portA,
                    "LOOM_FEDERATION_GLOBAL_RATE_MAX", "12"));
            a.putAll(Map.of("LOOM_FEDERATION_ABUSE_DENY_THRESHOLD", "50",
                    "LOOM_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "300",
                    "LOOM_FEDERATION_OUTBOX_BASE_BACKOFF_MS", "300",
                    "LOOM_FEDERATION_OUTBOX_JITTER_RATIO", "0"));
            // Enough attempts, a second and a half apart, to outlast a restart of B.
            a.putAll(Map.of("LOOM_FEDERATION_OUTBOX_MAX_BACKOFF_MS", "1500",
                    "LOOM_FEDERATION_OUTBOX_MAX_ATTEMPTS", "40",
                    // Long enough for envelopes sent together to be gathered into one delivery.
                    "LOOM_FEDERATION_GATHER_MS", "1000"));
            a.putAll(storeA);
            return a;
        });
        nodeB = NodesOnFreePorts.start(portB -> {
            Map<String, String> b = new HashMap<>(common);
            b.putAll(Map.of("LOOM_DATA_DIR", dataDirs.resolve("b").toString(), "PORT", Integer.toString(portB),
                    "LOOM_NODE_ID", "node-b.test", "LOOM_DOMAIN", "node-b.test",
                    "LOOM_PUBLIC_BASE_URL", "http://127.0.0.1:" + portB));
            b.putAll(Map.of("LOOM_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "0",
                    "LOOM_FEDERATION_OUTBOX_BASE_BACKOFF_MS", "300",
                    "LOOM_FEDERATION_OUTBOX_MAX_BACKOFF_MS", "600",
                    "LOOM_FEDERATION_OUTBOX_JITTER_RATIO", "0",
                    "LOOM_FEDERATION_REQUIRE_SIGNED_RECEIPTS", "true"));
            b.putAll(Map.of("LOOM_FEDERATION_NODE_RATE_MAX", "12",
                    "LOOM_FEDERATION_INBOUND_MAX_ENVELOPES", "3",
                    "LOOM_FEDERATION_ABUSE_QUARANTINE_THRESHOLD", "3",
                    "LOOM_FEDERATION_ABUSE_DENY_THRESHOLD", "14",
                    "LOOM_FEDERATION_CHALLENGE_ESCALATION_ENABLED", "true",
                    "LOOM_FEDERATION_CHALLENGE_THRESHOLD", "100"));
            b.putAll(storeB);
            nodeBEnvironment = Map.copyOf(b);
            return b;
        });

        alice = new Person("loom://alice@node-a.test", SigningKey.generate(), "k_sign_alice_1");
        bob = new Person("loom://bob@node-b.test", SigningKey.generate(), "k_sign_bob_1");
        register(nodeA, alice);
        register(nodeB, bob);
        aliceToken = token(nodeA, alice);
        bobToken = token(nodeB, bob);

        // B learns A from its node document; A is told about B by hand.
        ObjectNode bootstrap = json().put("node_document_url", nodeA.gatewayUrl() + "/.well-known/loom.json")
                .put("allow_insecure_http", true);
        post(nodeB, "/v1/federation/nodes/bootstrap", null, bootstrap, AS_ADMIN, 201);
        ObjectNode registration = json().put("node_id", "node-b.test").put("domain", "node-b.test")
                .put("key_id", nodeB.signingKey().keyId())
                .put("public_key_pem", nodeB.signingKey().key().verifyingKey().toSpkiPem())
                .put("deliver_url", nodeB.gatewayUrl() + "/v1/federation/deliver")
                .put("api_url", nodeB.gatewayUrl() + "/v1");
        post(nodeA, "/v1/federation/nodes", null, registration, AS_ADMIN, 201);
    }

    @AfterAll
    static void stopNodes(TestInfo test) throws Exception {
        try {
            if (nodeB != null) {
                nodeB.close();
            }
            if (nodeA != null) {
                nodeA.close();
            }
        } finally {
            nodeA = null;
            nodeB = null;
            if (test.getTestClass().orElseThrow() == FederationBetweenNodesOnPostgresTest.class) {
                FederationBetweenNodesOnPostgresTest.dropSchemas();
            }
        }
    }

    @Test
    @Order(1)
    void bootstrapRegistersTheNodeItsDocumentDescribes() throws Exception {
        JsonNode nodes = get(nodeB, "/v1/federation/nodes", bobToken, 200).get("nodes");
        JsonNode a = find(nodes, "node-a.test").orElseThrow();
        assertThat(a.get("domain").stringValue()).isEqualTo("node-a.test");
        assertThat(a.get("key_id").stringValue()).isEqualTo(nodeA.signingKey().keyId());
        // Registered PEMs are trimmed, as the reference node trims them.
        assertThat(a.get("public_key_pem").stringValue())
                .isEqualTo(nodeA.signingKey().key().verifyingKey().toSpkiPem().strip());
        assertThat(a.get("deliver_url").stringValue()).isEqualTo(nodeA.gatewayUrl() + "/v1/federation/deliver");
        assertThat(a.get("policy").stringValue()).isEqualTo("trusted");

        // Plain http needs the caller's explicit consent.
        ObjectNode insecure = json().put("node_document_url", nodeA.gatewayUrl() + "/.well-known/loom.json");
        assertThat(post(nodeB, "/v1/federation/nodes/bootstrap", null, insecure, AS_ADMIN, 400)
                .at("/error/code").stringValue()).isEqualTo("ENVELOPE_INVALID");
    }

    @Test
    @Order(2)
    void helloIsSignedWithThePublishedNodeKey() throws Exception {
        JsonNode hello = get(nodeA, "/v1/federation/hello", null, 200);
        assertThat(hello.get("node_id").stringValue()).isEqualTo("node-a.test");
        ObjectNode unsigned = ((ObjectNode) hello).deepCopy();
        unsigned.remove("signature");
        VerifyingKey published = VerifyingKey.fromSpkiPem(
                get(nodeA, "/.well-known/loom.json", null, 200).at("/federation/public_key_pem").stringValue());
        assertThat(published.verify(CanonicalJson.rfc8785Bytes(unsigned),
                org.loom.protocol.crypto.Signature.tryParse(hello.at("/signature/value").stringValue()).orElseThrow()))
                .isTrue();
    }

    @Test
    @Order(3)
    void envelopesTravelBothWaysAndComeWithSignedReceipts() throws Exception {
        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode first = envelope(alice, threadId, null, List.of(bob.identity()), "Lunch on Friday?");
        JsonNode delivered = deliver(nodeA, "node-a.test", nodeB, List.of(first), Map.of(), 202);
        assertThat(delivered.get("accepted_envelope_ids").get(0).stringValue()).isEqualTo(first.get("id").stringValue());
        assertReceiptVerifies(delivered, "node-b.test", "node-a.test", nodeB);

        JsonNode onB = get(nodeB, "/v1/threads/" + threadId + "/envelopes", bobToken, 200);
        assertThat(onB.get("envelopes").get(0).get("id").stringValue()).isEqualTo(first.get("id").stringValue());
        assertThat(onB.get("envelopes").get(0).at("/meta/federation/source_node").stringValue())
                .isEqualTo("node-a.test");

        ObjectNode reply = envelope(bob, threadId, first.get("id").stringValue(), List.of(alice.identity()),
                "Friday works.");
        post(nodeB, "/v1/envelopes", bobToken, reply, Map.of(), 201);
        JsonNode back = deliver(nodeB, "node-b.test", nodeA, List.of(reply), Map.of(), 202);
        assertReceiptVerifies(back, "node-a.test", "node-b.test", nodeA);
        JsonNode onA = get(nodeA, "/v1/envelopes/" + reply.get("id").stringValue(), aliceToken, 200);
        assertThat(onA.get("thread_id").stringValue()).isEqualTo(threadId);
        assertThat(onA.at("/content/human/text").stringValue()).isEqualTo("Friday works.");

        // Delivering the same envelope again is acknowledged, not refused.
        JsonNode again = deliver(nodeA, "node-a.test", nodeB, List.of(first), Map.of(), 202);
        assertThat(again.get("accepted_count").asInt()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void envelopesAreCheckedOneByOneAndPartialAcceptanceIsReported() throws Exception {
        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode good = envelope(alice, threadId, null, List.of(bob.identity()), "Good one");
        ObjectNode forged = envelope(alice, LoomIds.next(IdPrefix.THREAD), null, List.of(bob.identity()), "Forged");
        ((ObjectNode) forged.get("content").get("human")).put("text", "Changed after signing");
        JsonNode answer = deliver(nodeA, "node-a.test", nodeB, List.of(good, forged), Map.of(), 202);
        assertThat(answer.get("accepted_count").asInt()).isEqualTo(1);
        assertThat(answer.at("/rejected/0/envelope_id").stringValue()).isEqualTo(forged.get("id").stringValue());
        assertThat(answer.at("/rejected/0/error/code").stringValue()).isEqualTo("SIGNATURE_INVALID");
    }

    @Test
    @Order(5)
    void aKeyAddedOnTheHomeNodeIsFetchedWhenAnEnvelopeUsesIt() throws Exception {
        SigningKey second = SigningKey.generate();
        post(nodeA, "/v1/identity/me/keys", aliceToken, json().put("key_id", "k_sign_alice_2")
                .put("public_key_pem", second.verifyingKey().toSpkiPem()), Map.of(), 201);
        Person rotated = new Person(alice.identity(), second, "k_sign_alice_2");
        ObjectNode envelope = envelope(rotated, LoomIds.next(IdPrefix.THREAD), null, List.of(bob.identity()),
                "Signed with my new key");
        assertThat(deliver(nodeA, "node-a.test", nodeB, List.of(envelope), Map.of(), 202)
                .get("accepted_count").asInt()).isEqualTo(1);
    }

    @Test
    @Order(6)
    void quarantinedNodesLabelTheThreadsTheyWriteTo() throws Exception {
        post(nodeB, "/v1/federation/nodes", null, json().put("node_id", "node-a.test").put("policy", "quarantine"),
                AS_ADMIN, 201);
        try {
            String threadId = LoomIds.next(IdPrefix.THREAD);
            ObjectNode envelope = envelope(alice, threadId, null, List.of(bob.identity()), "From quarantine");
            deliver(nodeA, "node-a.test", nodeB, List.of(envelope), Map.of(), 202);
            JsonNode thread = get(nodeB, "/v1/threads/" + threadId, bobToken, 200);
            assertThat(thread.get("labels").valueStream().map(JsonNode::stringValue)).contains("sys.quarantine");
        } finally {
            post(nodeB, "/v1/federation/nodes", null, json().put("node_id", "node-a.test").put("policy", "trusted"),
                    AS_ADMIN, 201);
        }
    }

    @Test
    @Order(7)
    void acceptedEnvelopesWithRemoteRecipientsAreFederatedAutomaticallyAndTheSenderGetsADeliveredReceipt()
            throws Exception {
        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode sent = envelope(alice, threadId, null, List.of(bob.identity()), "Sent on A, read on B");
        post(nodeA, "/v1/envelopes", aliceToken, sent, Map.of(), 201);
        String id = sent.get("id").stringValue();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                .until(() -> status(nodeB, "/v1/envelopes/" + id, bobToken) == 200);
        assertThat(get(nodeB, "/v1/envelopes/" + id, bobToken, 200).at("/meta/federation/source_node").stringValue())
                .isEqualTo("node-a.test");
        JsonNode item = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> outboxItemFor(nodeA, aliceToken, id), found -> found.isPresent()
                        && found.get().get("status").stringValue().equals("delivered")).orElseThrow();
        assertThat(item.get("recipient_node").stringValue()).isEqualTo("node-b.test");
        assertThat(item.at("/result/receipt_verified").asBoolean()).isTrue();

        JsonNode receipt = awaitReceipt(nodeA, aliceToken, threadId, "receipt.delivered@v1");
        assertNodeReceipt(receipt, nodeA, "node-a.test", alice, id);
        assertThat(receipt.at("/content/structured/parameters/recipient_node").stringValue())
                .isEqualTo("node-b.test");
        assertThat(receipt.at("/content/structured/parameters/outbox_id").stringValue())
                .isEqualTo(item.get("id").stringValue());
        assertThat(Timestamps.isValid(receipt.at("/content/structured/parameters/delivered_at").stringValue()))
                .isTrue();
        // The receipt stays on the sending node: it is not federated on to B.
        assertThat(status(nodeB, "/v1/envelopes/" + receipt.get("id").stringValue(), bobToken)).isEqualTo(404);
    }

    @Test
    @Order(8)
    void outboxRoutesQueueProcessAndListDeliveries() throws Exception {
        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode sent = envelope(bob, threadId, null, List.of(alice.identity()), "Queued on B");
        post(nodeB, "/v1/envelopes", bobToken, sent, Map.of(), 201);
        String id = sent.get("id").stringValue();
        // B works its outbox only on request: the automatic item waits.
        JsonNode queued = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> outboxItemFor(nodeB, bobToken, id), Optional::isPresent).orElseThrow();
        assertThat(queued.get("status").stringValue()).isEqualTo("queued");
        assertThat(queued.get("delivery_id").stringValue()).startsWith("fdel_");
        // An automatic item gathers envelopes for B's gathering window before it is due.
        Instant due = Timestamps.parse(queued.get("next_attempt_at").stringValue()).orElseThrow();
        await().atMost(Duration.ofSeconds(70)).until(() -> Instant.now().isAfter(due.plusMillis(50)));

        JsonNode processed = post(nodeB, "/v1/federation/outbox/process", bobToken, json().put("limit", 10),
                Map.of(), 200);
        assertThat(processed.get("processed").valueStream()
                .filter(entry -> entry.get("outbox_id").stringValue().equals(queued.get("id").stringValue()))
                .findFirst().orElseThrow().get("receipt_verified").asBoolean()).isTrue();
        assertThat(get(nodeA, "/v1/envelopes/" + id, aliceToken, 200).get("thread_id").stringValue())
                .isEqualTo(threadId);

        // Queued by hand, then processed by id: the remote node acknowledges what it already holds.
        ObjectNode request = json().put("recipient_node", "node-a.test");
        request.putArray("envelope_ids").add(id);
        JsonNode item = post(nodeB, "/v1/federation/outbox", bobToken, request, Map.of(), 201);
        assertThat(item.get("id").stringValue()).startsWith("fout_");
        JsonNode done = post(nodeB, "/v1/federation/outbox/" + item.get("id").stringValue() + "/process", bobToken,
                json(), Map.of(), 200);
        assertThat(done.get("status").stringValue()).isEqualTo("delivered");
        assertThat(done.at("/result/accepted_envelope_ids/0").stringValue()).isEqualTo(id);
        assertThat(get(nodeB, "/v1/federation/outbox?status=delivered&recipient_node=node-a.test", bobToken, 200)
                .get("outbox").size()).isGreaterThanOrEqualTo(2);
        // Another identity sees none of bob's items.
        assertThat(get(nodeB, "/v1/federation/outbox", token(nodeB, carol()), 200).get("outbox").size()).isZero();

        // A keyed request whose answer the gateway lost comes through to the federation-service again (the gateway
        // frees the key then): it finds the item the first copy queued instead of queueing a second delivery.
        String key = "queue-" + LoomIds.next(IdPrefix.EVENT);
        JsonNode keyed = post(nodeB, "/v1/federation/outbox", bobToken, request, Map.of("Idempotency-Key", key), 201);
        HttpResponse<String> retried = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + nodeB.servicePorts().get("federation-service") + "/v1/federation/outbox"))
                .header("X-LOOM-Actor", bob.identity()).header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(LoomJson.writeBytes(request))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
        assertThat(LoomJson.parse(retried.body()).get("id").stringValue()).isEqualTo(keyed.get("id").stringValue());
        // The automatic item, the one queued by hand above and the keyed one: no fourth.
        assertThat(get(nodeB, "/v1/federation/outbox?recipient_node=node-a.test&limit=200", bobToken, 200)
                .get("outbox").valueStream().filter(entry -> entry.get("envelope_ids").valueStream()
                        .anyMatch(envelope -> envelope.stringValue().equals(id))).count()).isEqualTo(3);

        ObjectNode unknown = json().put("recipient_node", "nobody.test");
        unknown.putArray("envelope_ids").add(id);
        post(nodeB, "/v1/federation/outbox", bobToken, unknown, Map.of(), 400);
        post(nodeB, "/v1/federation/outbox", bobToken, json().put("recipient_node", "node-a.test"), Map.of(), 400);
        ObjectNode missing = json().put("recipient_node", "node-a.test");
        missing.putArray("envelope_ids").add(LoomIds.next(IdPrefix.ENVELOPE));
        post(nodeB, "/v1/federation/outbox", bobToken, missing, Map.of(), 404);
    }

    @Test
    @Order(9)
    void aDeliveryToANodeThatIsDownIsRetriedUntilTheNodeIsStartedAgain() throws Exception {
        nodeB.close();
        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode sent = envelope(alice, threadId, null, List.of(bob.identity()), "Sent while B was away");
        String id = sent.get("id").stringValue();
        try {
            post(nodeA, "/v1/envelopes", aliceToken, sent, Map.of(), 201);
            JsonNode failing = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> outboxItemFor(nodeA, aliceToken, id), found -> found.isPresent()
                            && found.get().get("attempts").asInt() >= 2).orElseThrow();
            assertThat(failing.get("status").stringValue()).isEqualTo("queued");
            assertThat(failing.get("last_error").stringValue()).isNotBlank();
            assertThat(receipts(nodeA, aliceToken, threadId, "receipt.delivered@v1")).isEmpty();
        } finally {
            // The same node again: same data directory, same ports, same key.
            nodeB = LoomNode.start(EmbeddedNodeSettings.fromEnvironment(nodeBEnvironment));
        }
        bobToken = token(nodeB, bob);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                .until(() -> status(nodeB, "/v1/envelopes/" + id, bobToken) == 200);
        JsonNode delivered = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> outboxItemFor(nodeA, aliceToken, id), found -> found.isPresent()
                        && found.get().get("status").stringValue().equals("delivered")).orElseThrow();
        assertThat(delivered.at("/result/receipt_verified").asBoolean()).isTrue();
        assertThat(delivered.get("attempts").asInt()).isGreaterThanOrEqualTo(3);
        JsonNode receipt = awaitReceipt(nodeA, aliceToken, threadId, "receipt.delivered@v1");
        assertNodeReceipt(receipt, nodeA, "node-a.test", alice, id);
        assertThat(receipts(nodeA, aliceToken, threadId, "receipt.failed@v1")).isEmpty();
    }

    @Test
    @Order(16)
    void aDeadLetterGetsAFailedReceiptNamingWhetherTimeOrAttemptsRanOut() throws Exception {
        int closedPort = FreePorts.pick();
        FakeNode gone = FakeNode.register(nodeA, "gone.test", "trusted");
        post(nodeA, "/v1/federation/nodes", null, json().put("node_id", gone.nodeId())
                .put("deliver_url", "http://127.0.0.1:" + closedPort + "/v1/federation/deliver"), AS_ADMIN, 201);
        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode sent = envelope(alice, threadId, null, List.of(bob.identity()), "Too late");
        post(nodeA, "/v1/envelopes", aliceToken, sent, Map.of(), 201);
        ObjectNode request = json().put("recipient_node", gone.nodeId())
                .put("expires_at", Timestamps.format(Instant.now().plusSeconds(2)));
        request.putArray("envelope_ids").add(sent.get("id").stringValue());
        String itemId = post(nodeA, "/v1/federation/outbox", aliceToken, request, Map.of(), 201).get("id")
                .stringValue();
        JsonNode failed = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> get(nodeA, "/v1/federation/outbox?status=failed&recipient_node=gone.test", aliceToken,
                        200).get("outbox"), list -> list.valueStream()
                        .anyMatch(item -> item.get("id").stringValue().equals(itemId)));
        JsonNode item = failed.valueStream().filter(entry -> entry.get("id").stringValue().equals(itemId))
                .findFirst().orElseThrow();
        assertThat(item.get("next_attempt_at").isNull()).isTrue();
        assertThat(item.get("last_error").stringValue()).isNotBlank();

        JsonNode timedOut = awaitReceipt(nodeA, aliceToken, threadId, "receipt.failed@v1");
        assertNodeReceipt(timedOut, nodeA, "node-a.test", alice, sent.get("id").stringValue());
        JsonNode parameters = timedOut.at("/content/structured/parameters");
        assertThat(parameters.get("reason").stringValue()).isEqualTo("DELIVERY_TIMEOUT");
        assertThat(parameters.get("recipient_node").stringValue()).isEqualTo(gone.nodeId());
        assertThat(parameters.get("outbox_id").stringValue()).isEqualTo(itemId);
        assertThat(parameters.get("attempts").asInt()).isEqualTo(item.get("attempts").asInt());
        assertThat(parameters.get("last_error").stringValue()).isEqualTo(item.get("last_error").stringValue());

        // Attempts running out before the time does is the other reason.
        ObjectNode once = json().put("recipient_node", gone.nodeId()).put("max_attempts", 1);
        once.putArray("envelope_ids").add(sent.get("id").stringValue());
        String onceId = post(nodeA, "/v1/federation/outbox", aliceToken, once, Map.of(), 201).get("id")
                .stringValue();
        JsonNode unreachable = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> receipts(nodeA, aliceToken, threadId, "receipt.failed@v1").stream()
                        .filter(r -> r.at("/content/structured/parameters/outbox_id").stringValue().equals(onceId))
                        .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(unreachable.at("/content/structured/parameters/reason").stringValue())
                .isEqualTo("NODE_UNREACHABLE");
        assertThat(unreachable.at("/content/structured/parameters/attempts").asInt()).isEqualTo(1);

        assertThat(receipts(nodeA, aliceToken, threadId, "receipt.failed@v1")).hasSize(2);
    }

    @Test
    @Order(17)
    void strictReceiptCheckingFailsADeliveryWhoseReceiptIsNotFromTheExpectedNode() throws Exception {
        // B knows A under a second id as well; A's receipts name A, so they do not prove delivery to that id.
        post(nodeB, "/v1/federation/nodes", null, json().put("node_id", "node-a-alias.test")
                .put("key_id", nodeA.signingKey().keyId())
                .put("public_key_pem", nodeA.signingKey().key().verifyingKey().toSpkiPem())
                .put("deliver_url", nodeA.gatewayUrl() + "/v1/federation/deliver"), AS_ADMIN, 201);
        ObjectNode sent = envelope(bob, LoomIds.next(IdPrefix.THREAD), null, List.of(alice.identity()), "Strict");
        post(nodeB, "/v1/envelopes", bobToken, sent, Map.of(), 201);
        ObjectNode request = json().put("recipient_node", "node-a-alias.test");
        request.putArray("envelope_ids").add(sent.get("id").stringValue());
        String itemId = post(nodeB, "/v1/federation/outbox", bobToken, request, Map.of(), 201).get("id")
                .stringValue();
        JsonNode processed = post(nodeB, "/v1/federation/outbox/" + itemId + "/process", bobToken, json(), Map.of(),
                200);
        assertThat(processed.get("status").stringValue()).isEqualTo("queued");
        assertThat(processed.get("last_error").stringValue())
                .isEqualTo("Signed receipt verification failed: sender_node_mismatch");
    }

    @Test
    @Order(10)
    void unsignedStaleTamperedReplayedAndWronglyKeyedRequestsAreRejected() throws Exception {
        byte[] body = wrapper("guard.test", List.of(json()));
        // Unsigned.
        assertError(send(nodeB, "/v1/federation/deliver", body, Map.of()), 401, "SIGNATURE_INVALID",
                "Missing required federation signature headers");

        FakeNode guard = FakeNode.register("guard.test");
        // Stale: signed eleven minutes ago.
        Map<String, String> stale = guard.headers("/v1/federation/deliver", body,
                Clock.offset(CLOCK, Duration.ofMinutes(-11)), LoomIds.next(IdPrefix.NONCE));
        assertError(send(nodeB, "/v1/federation/deliver", body, stale), 401, "SIGNATURE_INVALID",
                "Federation request timestamp outside freshness window");
        // Tampered: the body changed after signing.
        Map<String, String> signed = guard.headers("/v1/federation/deliver", body);
        byte[] tampered = wrapper("guard.test", List.of(json(), json()));
        assertError(send(nodeB, "/v1/federation/deliver", tampered, signed), 401, "SIGNATURE_INVALID",
                "Federation request signature verification failed");

        // Wrongly keyed: a key id the node never registered, then its own key id signed by another key.
        FakeNode other = FakeNode.register("guard-keys.test");
        Map<String, String> unknownKey = new HashMap<>(other.headers("/v1/federation/deliver", body));
        unknownKey.put(HttpSignature.KEY_ID, "k_unknown");
        assertError(send(nodeB, "/v1/federation/deliver", body, unknownKey), 401, "SIGNATURE_INVALID",
                "Unknown federation node or key id");
        FakeNode impostor = new FakeNode("guard-keys.test", SigningKey.generate(), other.keyId());
        assertError(send(nodeB, "/v1/federation/deliver", body, impostor.headers("/v1/federation/deliver", body)),
                401, "SIGNATURE_INVALID", "Federation request signature verification failed");

        // Replayed: the first request passes the signature checks (its empty envelope is then refused); its exact
        // copy is a replay.
        FakeNode replayer = FakeNode.register("guard-replay.test");
        byte[] once = wrapper("guard-replay.test", List.of(json()));
        Map<String, String> headers = replayer.headers("/v1/federation/deliver", once);
        assertError(send(nodeB, "/v1/federation/deliver", once, headers), 400, "ENVELOPE_INVALID", null);
        assertError(send(nodeB, "/v1/federation/deliver", once, headers), 401, "SIGNATURE_INVALID",
                "Federation request nonce replay detected");
    }

    @Test
    @Order(11)
    void deniedNodesAndOversizedDeliveriesAreRefused() throws Exception {
        FakeNode denied = FakeNode.register("denied.test", "deny");
        byte[] body = wrapper("denied.test", List.of(json()));
        HttpResponse<String> refused = send(nodeB, "/v1/federation/deliver", body,
                denied.headers("/v1/federation/deliver", body));
        assertError(refused, 403, "CAPABILITY_DENIED", "Federation node policy denies inbound delivery");
        assertThat(LoomJson.parse(refused.body()).at("/error/details/auto_policy").asBoolean()).isFalse();

        FakeNode bulk = FakeNode.register("bulk.test");
        byte[] tooMany = wrapper("bulk.test", List.of(json(), json(), json(), json()));
        HttpResponse<String> tooLarge = send(nodeB, "/v1/federation/deliver", tooMany,
                bulk.headers("/v1/federation/deliver", tooMany));
        assertError(tooLarge, 413, "PAYLOAD_TOO_LARGE", null);
        assertThat(LoomJson.parse(tooLarge.body()).at("/error/details/max_envelopes").asInt()).isEqualTo(3);

        byte[] mismatch = wrapper("someone-else.test", List.of(json()));
        assertError(send(nodeB, "/v1/federation/deliver", mismatch, bulk.headers("/v1/federation/deliver", mismatch)),
                401, "SIGNATURE_INVALID", "Federation sender node mismatch");
    }

    @Test
    @Order(11)
    void aRemoteNodeCannotDeliverEnvelopesInTheNameOfThisNodesIdentities() throws Exception {
        // Even bob's own correctly signed envelope: his mail leaves through his node, never arrives through another.
        FakeNode spoofer = FakeNode.register("spoof.test");
        ObjectNode inBobsName = envelope(bob, LoomIds.next(IdPrefix.THREAD), null, List.of(bob.identity()),
                "Delivered by someone else");
        byte[] body = wrapper("spoof.test", List.of(inBobsName));
        HttpResponse<String> refused = send(nodeB, "/v1/federation/deliver", body,
                spoofer.headers("/v1/federation/deliver", body));
        assertError(refused, 403, "CAPABILITY_DENIED",
                "A remote node cannot deliver envelopes from this node's identities");
        assertThat(status(nodeB, "/v1/envelopes/" + inBobsName.get("id").stringValue(), bobToken)).isEqualTo(404);
    }

    @Test
    @Order(12)
    void aNodeIsRateLimitedPerWindow() throws Exception {
        FakeNode burst = FakeNode.register("burst.test");
        for (int i = 0; i < 12; i++) {
            byte[] body = wrapper("burst.test", List.of(json()));
            assertError(send(nodeB, "/v1/federation/deliver", body, burst.headers("/v1/federation/deliver", body)),
                    400, "ENVELOPE_INVALID", null);
        }
        byte[] body = wrapper("burst.test", List.of(json()));
        HttpResponse<String> limited = send(nodeB, "/v1/federation/deliver", body,
                burst.headers("/v1/federation/deliver", body));
        assertError(limited, 429, "RATE_LIMIT_EXCEEDED", "Federation node inbound rate limit exceeded");
        assertThat(LoomJson.parse(limited.body()).at("/error/details/scope").stringValue()).isEqualTo("federation_node");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    @Order(13)
    void repeatedFailuresQuarantineThenDenyANode() throws Exception {
        FakeNode flaky = FakeNode.register("flaky.test");
        FakeNode forger = new FakeNode("flaky.test", SigningKey.generate(), flaky.keyId());
        for (int i = 1; i <= 14; i++) {
            byte[] body = wrapper("flaky.test", List.of(json()));
            HttpResponse<String> refused = send(nodeB, "/v1/federation/deliver", body,
                    forger.headers("/v1/federation/deliver", body));
            assertThat(refused.statusCode()).as(refused.body()).isIn(401, 429);
            if (i == 3) {
                JsonNode node = find(get(nodeB, "/v1/federation/nodes", bobToken, 200).get("nodes"), "flaky.test")
                        .orElseThrow();
                assertThat(node.get("policy").stringValue()).isEqualTo("quarantine");
                assertThat(node.get("auto_policy").stringValue()).isEqualTo("quarantine");
                assertThat(node.get("configured_policy").stringValue()).isEqualTo("trusted");
            }
        }
        JsonNode node = find(get(nodeB, "/v1/federation/nodes", bobToken, 200).get("nodes"), "flaky.test")
                .orElseThrow();
        assertThat(node.get("policy").stringValue()).isEqualTo("deny");
        assertThat(node.get("reputation_score").asInt()).isEqualTo(14);
        byte[] body = wrapper("flaky.test", List.of(json()));
        HttpResponse<String> denied = send(nodeB, "/v1/federation/deliver", body,
                flaky.headers("/v1/federation/deliver", body));
        assertError(denied, 403, "CAPABILITY_DENIED", "Federation node policy denies inbound delivery");
        assertThat(LoomJson.parse(denied.body()).at("/error/details/auto_policy").asBoolean()).isTrue();
    }

    @Test
    @Order(14)
    void keysRotateByMergingThenReplacing() throws Exception {
        FakeNode first = FakeNode.register("rotating.test");
        FakeNode second = new FakeNode("rotating.test", SigningKey.generate(), "k_node_2");
        post(nodeB, "/v1/federation/nodes", null, json().put("node_id", "rotating.test")
                .put("key_id", second.keyId()).put("public_key_pem", second.key().verifyingKey().toSpkiPem())
                .put("active_key_id", second.keyId()), AS_ADMIN, 201);
        byte[] body = wrapper("rotating.test", List.of(json()));
        // Both keys verify while merged (the empty envelope is then refused on its own merits).
        assertError(send(nodeB, "/v1/federation/deliver", body, first.headers("/v1/federation/deliver", body)),
                400, "ENVELOPE_INVALID", null);
        assertError(send(nodeB, "/v1/federation/deliver", body, second.headers("/v1/federation/deliver", body)),
                400, "ENVELOPE_INVALID", null);

        ObjectNode replace = json().put("node_id", "rotating.test").put("replace_signing_keys", true);
        replace.putArray("signing_keys").addObject().put("key_id", second.keyId())
                .put("public_key_pem", second.key().verifyingKey().toSpkiPem());
        JsonNode replaced = post(nodeB, "/v1/federation/nodes", null, replace, AS_ADMIN, 201);
        assertThat(replaced.get("signing_keys").size()).isEqualTo(1);
        assertThat(replaced.get("key_id").stringValue()).isEqualTo(second.keyId());
        assertError(send(nodeB, "/v1/federation/deliver", body, first.headers("/v1/federation/deliver", body)),
                401, "SIGNATURE_INVALID", "Unknown federation node or key id");
    }

    @Test
    @Order(15)
    void challengeTokensAreDemandedOnceIssuedAndWorkOnce() throws Exception {
        FakeNode challenger = FakeNode.register("challenger.test");
        byte[] ask = "{}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> issued = send(nodeB, "/v1/federation/challenge", ask,
                challenger.headers("/v1/federation/challenge", ask));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        JsonNode challenge = LoomJson.parse(issued.body());
        assertThat(challenge.get("required").asBoolean()).isTrue();
        String token = challenge.get("challenge_token").stringValue();
        assertThat(token).startsWith("fch_");

        byte[] body = wrapper("challenger.test", List.of(json()));
        assertError(send(nodeB, "/v1/federation/deliver", body, challenger.headers("/v1/federation/deliver", body)),
                403, "CAPABILITY_DENIED", "Federation challenge token required");
        Map<String, String> withToken = new HashMap<>(challenger.headers("/v1/federation/deliver", body));
        withToken.put(HttpSignature.CHALLENGE_TOKEN, token);
        assertError(send(nodeB, "/v1/federation/deliver", body, withToken), 400, "ENVELOPE_INVALID", null);
        Map<String, String> reused = new HashMap<>(challenger.headers("/v1/federation/deliver", body));
        reused.put(HttpSignature.CHALLENGE_TOKEN, token);
        assertError(send(nodeB, "/v1/federation/deliver", body, reused), 403, "CAPABILITY_DENIED",
                "Invalid federation challenge token");
    }

    @Test
    @Order(8)
    void envelopesForOneNodeAreGatheredIntoFewDeliveriesOfAtMostThePeersSize() throws Exception {
        // A gathers what it federates to B for a second; B takes at most 3 envelopes per delivery. Ten envelopes
        // sent at once reach B in a few deliveries, each item larger than 3 going out in parts of 3 once B has
        // named its limit.
        List<ObjectNode> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(envelope(alice, LoomIds.next(IdPrefix.THREAD), null, List.of(bob.identity()), "Gathered " + i));
        }
        List<CompletableFuture<JsonNode>> posts = sent.stream().map(envelope -> CompletableFuture.supplyAsync(() -> {
            try {
                return post(nodeA, "/v1/envelopes", aliceToken, envelope, Map.of(), 201);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).toList();
        posts.forEach(CompletableFuture::join);
        List<String> ids = sent.stream().map(envelope -> envelope.get("id").stringValue()).toList();

        for (String id : ids) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                    .until(() -> status(nodeB, "/v1/envelopes/" + id, bobToken) == 200);
        }
        Map<String, JsonNode> items = new HashMap<>();
        for (String id : ids) {
            JsonNode item = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> outboxItemFor(nodeA, aliceToken, id), found -> found.isPresent()
                            && found.get().get("status").stringValue().equals("delivered")).orElseThrow();
            items.put(item.get("id").stringValue(), item);
        }
        assertThat(items.size()).as("deliveries for ten envelopes").isLessThan(ids.size());
        assertThat(items.values()).allSatisfy(item -> {
            assertThat(item.at("/result/receipt_verified").asBoolean()).isTrue();
            assertThat(item.get("senders").valueStream().map(JsonNode::stringValue)).containsExactly(alice.identity());
            int envelopes = item.get("envelope_ids").size();
            int parts = item.at("/result/part_receipts").isArray() ? item.at("/result/part_receipts").size() : 1;
            assertThat(parts).as("parts of an item of " + envelopes).isEqualTo((envelopes + 2) / 3);
        });
        assertThat(items.values()).as("an item gathered more than B takes at once")
                .anySatisfy(item -> assertThat(item.get("envelope_ids").size()).isGreaterThan(3));
        for (ObjectNode envelope : sent) {
            assertNodeReceipt(awaitReceipt(nodeA, aliceToken, envelope.get("thread_id").stringValue(),
                    "receipt.delivered@v1"), nodeA, "node-a.test", alice, envelope.get("id").stringValue());
        }
    }

    @Test
    @Order(99)
    void allNodesTogetherAreRateLimited() throws Exception {
        FakeNode global = FakeNode.register(nodeA, "global.test", "trusted");
        HttpResponse<String> last = null;
        for (int i = 0; i < 13; i++) {
            byte[] body = wrapper("global.test", List.of(json()));
            last = send(nodeA, "/v1/federation/deliver", body, global.headers("/v1/federation/deliver", body));
            if (last.statusCode() == 429) {
                break;
            }
        }
        assertError(last, 429, "RATE_LIMIT_EXCEEDED", "Federation global inbound rate limit exceeded");
        assertThat(LoomJson.parse(last.body()).at("/error/details/scope").stringValue())
                .isEqualTo("federation_global");
    }

    // --- helpers ---

    private static Person carol;

    private static Person carol() throws Exception {
        if (carol == null) {
            carol = new Person("loom://carol@node-b.test", SigningKey.generate(), "k_sign_carol_1");
            register(nodeB, carol);
        }
        return carol;
    }

    private static Optional<JsonNode> outboxItemFor(LoomNode node, String token, String envelopeId) throws Exception {
        return get(node, "/v1/federation/outbox", token, 200).get("outbox").valueStream()
                .filter(item -> item.get("envelope_ids").valueStream()
                        .anyMatch(id -> id.stringValue().equals(envelopeId)))
                .findFirst();
    }

    private static int status(LoomNode node, String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(90)).header("Authorization", "Bearer " + token).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A plain HTTP relay to a node's gateway, passing the body and signature headers on unchanged. */
    /** The thread's receipt envelopes with the intent, as the reader sees them. */
    private static List<JsonNode> receipts(LoomNode node, String token, String threadId, String intent)
            throws Exception {
        if (status(node, "/v1/threads/" + threadId + "/envelopes", token) != 200) {
            return List.of();
        }
        return get(node, "/v1/threads/" + threadId + "/envelopes", token, 200).get("envelopes").valueStream()
                .filter(envelope -> envelope.path("type").stringValue("").equals("receipt")
                        && envelope.at("/content/structured/intent").stringValue("").equals(intent))
                .toList();
    }

    private static JsonNode awaitReceipt(LoomNode node, String token, String threadId, String intent) {
        List<JsonNode> found = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> receipts(node, token, threadId, intent), list -> !list.isEmpty());
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** From the node's own identity, signed with its published key, to the sender, about the envelope. */
    private static void assertNodeReceipt(JsonNode receipt, LoomNode node, String nodeId, Person sender,
            String envelopeId) {
        assertThat(receipt.at("/from/identity").stringValue()).isEqualTo("loom://node@" + nodeId);
        assertThat(receipt.at("/from/type").stringValue()).isEqualTo("service");
        assertThat(receipt.at("/to/0/identity").stringValue()).isEqualTo(sender.identity());
        assertThat(receipt.get("parent_id").stringValue()).isEqualTo(envelopeId);
        assertThat(receipt.at("/content/structured/parameters/envelope_ids").valueStream()
                .map(JsonNode::stringValue).toList()).containsExactly(envelopeId);
        assertThat(receipt.at("/signature/key_id").stringValue()).isEqualTo(node.signingKey().keyId());
        ObjectNode signed = ((ObjectNode) receipt).deepCopy();
        signed.remove("meta");
        assertThat(EnvelopeSignatures.verify(signed, node.signingKey().key().verifyingKey())).isTrue();
    }

    /** A sending node this test plays, with a key it holds. */
    private record FakeNode(String nodeId, SigningKey key, String keyId) {

        static FakeNode register(String nodeId) throws Exception {
            return register(nodeB, nodeId, "trusted");
        }

        static FakeNode register(String nodeId, String policy) throws Exception {
            return register(nodeB, nodeId, policy);
        }

        static FakeNode register(LoomNode on, String nodeId, String policy) throws Exception {
            FakeNode node = new FakeNode(nodeId, SigningKey.generate(), "k_node_1");
            post(on, "/v1/federation/nodes", null, json().put("node_id", nodeId).put("key_id", node.keyId())
                    .put("public_key_pem", node.key().verifyingKey().toSpkiPem()).put("policy", policy), AS_ADMIN,
                    201);
            return node;
        }

        Map<String, String> headers(String path, byte[] body) {
            return headers(path, body, CLOCK, LoomIds.next(IdPrefix.NONCE));
        }

        Map<String, String> headers(String path, byte[] body, Clock clock, String nonce) {
            return HttpSignature.sign("POST", path, body, nodeId, keyId, key, clock, nonce).asMap();
        }
    }

    private record Person(String identity, SigningKey key, String keyId) {
    }

    private static JsonNode deliver(LoomNode from, String fromId, LoomNode to, List<ObjectNode> envelopes,
            Map<String, String> extra, int expected) throws Exception {
        byte[] body = wrapper(fromId, envelopes);
        SignedRequestHeaders headers = HttpSignature.sign("POST", "/v1/federation/deliver", body, fromId,
                from.signingKey().keyId(), from.signingKey().key(), CLOCK, LoomIds.next(IdPrefix.NONCE));
        Map<String, String> all = new HashMap<>(headers.asMap());
        all.putAll(extra);
        HttpResponse<String> response = send(to, "/v1/federation/deliver", body, all);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return LoomJson.parse(response.body());
    }

    private static void assertReceiptVerifies(JsonNode answer, String issuer, String deliverer, LoomNode issuingNode) {
        VerifyingKey issuerKey = issuingNode.signingKey().key().verifyingKey();
        String issuerKeyId = issuingNode.signingKey().keyId();
        NodeKeyDirectory directory = new NodeKeyDirectory() {
            @Override
            public boolean isKnownNode(String nodeId) {
                return nodeId.equals(issuer);
            }

            @Override
            public Optional<VerifyingKey> signingKey(String nodeId, String keyId) {
                return nodeId.equals(issuer) && keyId.equals(issuerKeyId) ? Optional.of(issuerKey) : Optional.empty();
            }
        };
        assertThat(DeliveryReceipt.verify(answer.get("receipt"), issuer, deliverer,
                answer.get("delivery_id").stringValue(), directory).isVerified()).isTrue();
    }

    private static byte[] wrapper(String senderNode, List<ObjectNode> envelopes) {
        ObjectNode wrapper = json().put("loom", "1.1").put("sender_node", senderNode)
                .put("timestamp", Timestamps.now(CLOCK));
        ArrayNode list = wrapper.putArray("envelopes");
        envelopes.forEach(list::add);
        return LoomJson.writeBytes(wrapper);
    }

    private static ObjectNode envelope(Person from, String threadId, String parentId, List<String> to, String text) {
        ObjectNode envelope = json();
        envelope.put("loom", "1.1")
                .put("id", LoomIds.next(IdPrefix.ENVELOPE))
                .put("thread_id", threadId)
                .put("parent_id", parentId)
                .put("type", "message");
        envelope.putObject("from").put("identity", from.identity()).put("key_id", from.keyId()).put("type", "human");
        to.forEach(recipient -> envelope.withArray("to").addObject().put("identity", recipient).put("role", "primary"));
        envelope.put("created_at", Timestamps.format(Instant.now()));
        ObjectNode content = envelope.putObject("content");
        content.putObject("human").put("text", text).put("format", "plaintext");
        content.put("encrypted", false);
        return EnvelopeSignatures.sign(envelope, from.key(), from.keyId());
    }

    private static void register(LoomNode node, Person person) throws Exception {
        ObjectNode body = json().put("id", person.identity()).put("type", "human")
                .put("display_name", person.identity());
        body.putArray("signing_keys").addObject().put("key_id", person.keyId())
                .put("public_key_pem", person.key().verifyingKey().toSpkiPem());
        post(node, "/v1/identity", null, body, Map.of(), 201);
    }

    private static String token(LoomNode node, Person person) throws Exception {
        JsonNode challenge = post(node, "/v1/auth/challenge", null,
                json().put("identity", person.identity()).put("key_id", person.keyId()), Map.of(), 200);
        ObjectNode proof = json().put("identity", person.identity()).put("key_id", person.keyId())
                .put("challenge_id", challenge.get("challenge_id").stringValue())
                .put("signature", person.key().sign(challenge.get("nonce").stringValue()).base64Url());
        return post(node, "/v1/auth/token", null, proof, Map.of(), 200).get("access_token").stringValue();
    }

    private static Optional<JsonNode> find(JsonNode nodes, String nodeId) {
        return nodes.valueStream().filter(node -> node.get("node_id").stringValue().equals(nodeId)).findFirst();
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = LoomJson.parse(response.body()).get("error");
        assertThat(error.get("code").stringValue()).isEqualTo(code);
        if (message != null) {
            assertThat(error.get("message").stringValue()).isEqualTo(message);
        }
    }

    private static ObjectNode json() {
        return LoomJson.mapper().createObjectNode();
    }

    private static HttpResponse<String> send(LoomNode node, String path, byte[] body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode post(LoomNode node, String path, String token, JsonNode body, Map<String, String> headers,
            int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofByteArray(LoomJson.writeBytes(body)));
        headers.forEach(request::header);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(expected);
        return LoomJson.parse(response.body());
    }

    private static JsonNode get(LoomNode node, String path, String token, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(90)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(expected);
        return LoomJson.parse(response.body());
    }

    @SuppressWarnings("unused")
    private static String encode(String identity) {
        return URLEncoder.encode(identity, StandardCharsets.UTF_8);
    }
}
