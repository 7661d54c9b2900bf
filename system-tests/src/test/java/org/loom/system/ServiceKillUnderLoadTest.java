package org.loom.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.loom.system.FaultChecks.Kill;
import org.loom.protocol.json.LoomJson;
import org.loom.testsupport.TestInfrastructure;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each of the five services of a split node is killed with {@code kill -9} in turn and started again, while clients
 * keep submitting envelopes, some addressed to another node (federation outbox), a webhook takes every accepted
 * envelope (webhook outbox) and a client keeps mailing envelopes out (email outbox) to a real SMTP server.
 *
 * <p>Afterwards: every envelope a client was told 201 for is stored once and announced, nothing else is stored; the
 * other node holds every federated envelope once; the webhook receiver got every stored envelope of the test's
 * threads under one delivery id, signed with the node key; the SMTP server got every email the node accepted, and
 * nothing twice; no outbox item is left queued or dead; the audit chain verifies. A delivery that arrives twice is
 * accepted only when its service was killed right after the first copy arrived (delivery is at least once, and the
 * repeat carries the same id for the receiver to drop).
 */
@ExtendWith(SharedSplitNode.class)
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class ServiceKillUnderLoadTest {

    /** The order of the kills: the gateway last, when every other service has come back once. */
    private static final List<String> VICTIMS = List.of("envelope-service", "federation-service", "delivery-worker",
            "email-bridge", "api-gateway");
    private static final Map<String, String> AS_ADMIN = Map.of("x-loom-admin-token", SharedSplitNode.ADMIN_TOKEN);
    /** How long a killed service stays down: long enough for requests in flight to hit the gap. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(2);
    private static final Duration PROGRESS_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);
    /** A repeat is explained by a kill that came at most this long after the first copy (the attempt timeout). */
    private static final Duration REPEAT_WINDOW = Duration.ofSeconds(15);

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String PEER_DOMAIN = "peer-" + RUN + ".test";
    private static CompletableFuture<PeerNode> peerStarting;
    private static MailReceiver mail;

    /** The other node and the SMTP server start while the split node does (they share nothing with it). */
    @BeforeAll
    static void startPeerAndMailServer() {
        Path workDir = ServiceJars.repositoryRoot().resolve("system-tests/target/fault-peer-" + RUN);
        peerStarting = CompletableFuture.supplyAsync(() -> PeerNode.start(PEER_DOMAIN, workDir).awaitReady());
        mail = MailReceiver.start(SharedSplitNode.SMTP_PORT);
    }

    @AfterAll
    static void stopPeerAndMailServer() {
        if (mail != null) {
            mail.close();
        }
        if (peerStarting != null) {
            peerStarting.thenAccept(PeerNode::close).exceptionally(failure -> null).join();
        }
    }

    @Test
    void killingEachServiceUnderLoadLosesNoEnvelopeDuplicatesNoDeliveryAndOutboxesResume(SplitNode node)
            throws Exception {
        long began = System.nanoTime();
        NodeClient client = new NodeClient(node.gatewayUrl());
        PeerNode peer = peerStarting.get(6, TimeUnit.MINUTES);
        NodeClient there = peer.client();

        TestIdentity reader = TestIdentity.generate("loom://reader" + RUN + "@fault.test");
        TestIdentity carol = TestIdentity.generate("loom://carol" + RUN + "@" + PEER_DOMAIN);
        client.register(reader);
        there.register(carol);
        String carolToken = there.token(carol);
        linkNodes(node, client, peer);

        List<EnvelopeLoad.Client> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TestIdentity sender = TestIdentity.generate("loom://sender" + i + "x" + RUN + "@fault.test");
            client.register(sender);
            boolean federating = i == 3;
            clients.add(new EnvelopeLoad.Client(sender, client.token(sender),
                    List.of(federating ? carol.identity() : reader.identity()), federating));
        }
        Set<String> senders = clients.stream().map(c -> c.identity().identity()).collect(Collectors.toSet());

        List<Kill> kills = new ArrayList<>();
        try (WebhookReceiver webhooks = WebhookReceiver.start("/hooks/" + RUN, node.nodeKey().verifyingKey())) {
            String webhookId = registerWebhook(client, webhooks.url());
            EnvelopeLoad envelopes = new EnvelopeLoad(client, clients);
            AtomicInteger turn = new AtomicInteger();
            EmailLoad emails = new EmailLoad(client, RUN, () -> {
                EnvelopeLoad.Client from = clients.get(turn.getAndIncrement() % 3);
                EnvelopeLoad.Accepted last = envelopes.lastAcceptedOf(from);
                return last == null ? null : new EmailLoad.Source(last.envelopeId(), from.token());
            });
            try {
                envelopes.start();
                emails.start();
                awaitGrowth("envelopes accepted before the first kill", envelopes::acceptedCount, 8);
                awaitGrowth("webhook deliveries before the first kill", webhooks::count, 4);
                awaitGrowth("emails before the first kill", mail::count, 2);

                for (String victim : VICTIMS) {
                    int acceptedBefore = envelopes.acceptedCount();
                    int webhooksBefore = webhooks.count();
                    int mailsBefore = mail.count();
                    kills.add(new Kill(victim, Instant.now()));
                    node.kill(victim);
                    ChildJvm.pause(DOWN_FOR);
                    long restarting = System.nanoTime();
                    node.restart(victim);
                    System.out.printf(Locale.ROOT, "fault test: %s killed and healthy again %.1f s later%n", victim,
                            (System.nanoTime() - restarting) / 1e9 + DOWN_FOR.toSeconds());
                    // Work resumes everywhere before the next kill, so every kill lands on a working node.
                    awaitGrowth("envelopes accepted after restarting " + victim, envelopes::acceptedCount,
                            acceptedBefore - envelopes.acceptedCount() + 4);
                    awaitGrowth("webhook deliveries after restarting " + victim, webhooks::count,
                            webhooksBefore - webhooks.count() + 2);
                    awaitGrowth("emails after restarting " + victim, mail::count, mailsBefore - mail.count() + 1);
                }
            } finally {
                emails.close();
                envelopes.close();
            }

            // Clients: every 201 stands for exactly one stored envelope, and nothing unanswered was stored twice.
            assertThat(envelopes.anomalies()).as("answers that were neither a decision nor a late one").isEmpty();
            assertThat(emails.anomalies()).as("email answers other than 201, 502, 503").isEmpty();
            Map<String, EnvelopeLoad.Accepted> accepted = envelopes.accepted();
            Set<String> threads = envelopes.threads();
            Map<String, Integer> fromClients = FaultChecks.storedEnvelopesFrom(node, threads, senders);
            assertThat(fromClients.keySet()).as("stored client envelopes").containsExactlyInAnyOrderElementsOf(
                    accepted.keySet());
            assertThat(fromClients.values()).as("copies of each envelope").containsOnly(1);
            assertThat(FaultChecks.eventSequenceGaps(node, threads)).as("threads with gaps").isEmpty();
            String bootstrap = TestInfrastructure.get().kafkaBootstrapServers();
            await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(FaultChecks.acceptedEvents(bootstrap, threads))
                    .containsAll(accepted.keySet()));

            // Federation: the other node holds each federated envelope once; nothing is left in the outbox.
            Set<String> federated = accepted.values().stream().filter(EnvelopeLoad.Accepted::federated)
                    .map(EnvelopeLoad.Accepted::envelopeId).collect(Collectors.toSet());
            assertThat(federated).as("federated envelopes").isNotEmpty();
            await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(peerCopies(there, carolToken, accepted)).as("copies on the other node")
                            .containsOnlyKeys(federated).allSatisfy((id, copies) -> assertThat(copies).isEqualTo(1)));
            String federatingToken = clients.get(3).token();
            await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(
                    outboxItems(client, "/v1/federation/outbox?recipient_node=" + PEER_DOMAIN + "&status=queued",
                            federatingToken, Map.of())).as("federation items still queued").isEmpty());
            assertThat(outboxItems(client, "/v1/federation/outbox?recipient_node=" + PEER_DOMAIN + "&status=failed",
                    federatingToken, Map.of())).as("federation dead letters").isEmpty();

            // Webhooks: every stored envelope of the threads announced under exactly one delivery id, correctly signed.
            Map<String, Integer> stored = FaultChecks.storedEnvelopes(node, threads);
            await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(
                    webhooks.deliveryIdsByEnvelope(threads).keySet()).containsAll(stored.keySet()));
            Map<String, Set<String>> deliveryIds = webhooks.deliveryIdsByEnvelope(threads);
            assertThat(deliveryIds.keySet()).as("envelopes announced to the webhook")
                    .containsExactlyInAnyOrderElementsOf(stored.keySet());
            assertThat(deliveryIds).as("delivery ids per envelope")
                    .allSatisfy((id, ids) -> assertThat(ids).as(id).hasSize(1));
            assertThat(webhooks.badSignatures()).as("deliveries not signed with the node key").isEmpty();
            Map<String, List<Instant>> webhookArrivals = webhooks.arrivals().stream()
                    .filter(arrival -> threads.contains(arrival.threadId()))
                    .collect(Collectors.groupingBy(WebhookReceiver.Arrival::deliveryId,
                            Collectors.mapping(WebhookReceiver.Arrival::at, Collectors.toList())));
            assertThat(FaultChecks.unexplainedRepeats(webhookArrivals, kills, "delivery-worker", REPEAT_WINDOW))
                    .as("webhook deliveries repeated without a kill to explain it").isEmpty();
            assertThat(outboxItems(client, "/v1/webhooks/outbox?webhook_id=" + webhookId + "&status=queued",
                    null, AS_ADMIN)).as("webhook items still queued").isEmpty();
            assertThat(outboxItems(client, "/v1/webhooks/outbox?webhook_id=" + webhookId + "&status=failed",
                    null, AS_ADMIN)).as("webhook dead letters").isEmpty();

            // Email: each accepted email arrived, none twice; an email whose answer was lost arrived at most once.
            Map<String, String> confirmed = emails.confirmed();
            await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(
                    mail.arrivalsBySubject(emails.subjectPrefix()).keySet()).containsAll(confirmed.keySet()));
            Map<String, List<Instant>> mailArrivals = mail.arrivalsBySubject(emails.subjectPrefix());
            Set<String> sent = new HashSet<>(confirmed.keySet());
            sent.addAll(emails.unknown());
            assertThat(sent).as("every email received was sent by the test").containsAll(mailArrivals.keySet());
            assertThat(FaultChecks.unexplainedRepeats(mailArrivals, kills, "email-bridge", REPEAT_WINDOW))
                    .as("emails repeated without a kill to explain it").isEmpty();
            for (EnvelopeLoad.Client mailer : clients.subList(0, 3)) {
                // Each caller lists the items it queued.
                assertThat(outboxItems(client, "/v1/email/outbox?status=queued&limit=200", mailer.token(), Map.of()))
                        .as("email items still queued").isEmpty();
                assertThat(outboxItems(client, "/v1/email/outbox?status=failed&limit=200", mailer.token(), Map.of()))
                        .as("email dead letters").isEmpty();
            }

            // The audit chain took records from every service through every crash and still verifies.
            JsonNode verified = client.send(client.request("/v1/audit/verify", null, AS_ADMIN).GET())
                    .expect(200);
            assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();

            client.send(client.request("/v1/webhooks/" + webhookId, null, AS_ADMIN).DELETE()).expect(200);
            System.out.printf(Locale.ROOT, "fault test: %d envelopes accepted (%d federated, %d needed retries,"
                    + " %d late or failed answers), %d webhook deliveries (%d repeats after a kill), %d emails"
                    + " accepted and %d unknown, %d received; %.0f s in all%n",
                    accepted.size(), federated.size(), accepted.values().stream().filter(a -> a.attempts() > 1)
                            .count(), envelopes.undecidedAnswers(), webhooks.count(),
                    webhooks.count() - webhooks.arrivals().stream().map(WebhookReceiver.Arrival::deliveryId)
                            .distinct().count(),
                    confirmed.size(), emails.unknown().size(), mailArrivals.values().stream().mapToInt(List::size)
                            .sum(), (System.nanoTime() - began) / 1e9);
        }
    }

    /** Each node registers the other with the key it was given, so deliveries are signed and verified both ways. */
    private static void linkNodes(SplitNode node, NodeClient client, PeerNode peer) {
        ObjectNode local = LoomJson.mapper().createObjectNode()
                .put("node_id", node.environment("federation-service").get("LOOM_NODE_ID"))
                .put("domain", "fault.test")
                .put("key_id", node.environment("federation-service").get("LOOM_NODE_SIGNING_KEY_ID"))
                .put("public_key_pem", node.nodeKey().verifyingKey().toSpkiPem())
                .put("deliver_url", node.gatewayUrl() + "/v1/federation/deliver")
                .put("api_url", node.gatewayUrl() + "/v1");
        peer.client().post("/v1/federation/nodes", null, local, peer.asAdmin()).expect(201);
        client.post("/v1/federation/nodes", null, peer.registration(), AS_ADMIN).expect(201);
    }

    private static String registerWebhook(NodeClient client, String url) {
        ObjectNode webhook = LoomJson.mapper().createObjectNode()
                .put("url", url).put("max_attempts", 20).put("timeout_ms", 5000);
        webhook.putArray("events").add("envelope.accepted");
        return client.post("/v1/webhooks", null, webhook, AS_ADMIN).expect(201).get("id").stringValue();
    }

    /** How many times the other node stores each envelope of the test's federated threads. */
    private static Map<String, Integer> peerCopies(NodeClient there, String token,
                                                   Map<String, EnvelopeLoad.Accepted> accepted) {
        Map<String, Integer> copies = new HashMap<>();
        accepted.values().stream().filter(EnvelopeLoad.Accepted::federated).map(EnvelopeLoad.Accepted::threadId)
                .distinct().forEach(threadId -> {
                    var answer = there.get("/v1/threads/" + threadId + "/envelopes", token);
                    if (answer.status() == 200) {
                        NodeClient.envelopeIds(answer.body()).forEach(id -> copies.merge(id, 1, Integer::sum));
                    }
                });
        return copies;
    }

    private static List<JsonNode> outboxItems(NodeClient client, String path, String token,
                                              Map<String, String> headers) {
        JsonNode answer = client.send(client.request(path, token, headers).GET()).expect(200);
        return answer.get("outbox").valueStream().toList();
    }

    /** Waits until {@code counter} has grown by {@code by} from now. */
    private static void awaitGrowth(String what, IntSupplier counter, int by) {
        int target = counter.getAsInt() + Math.max(by, 1);
        await(what).atMost(PROGRESS_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> counter.getAsInt() >= target);
    }
}
