package org.loom.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import org.loom.protocol.json.LoomJson;
import org.loom.system.FaultChecks.Kill;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The work the fault tests keep in flight on a split node while they break it, and the checks that none of it was
 * lost or done twice:
 *
 * <ul>
 *   <li>four clients submit signed envelopes with {@code Idempotency-Key}s ({@link EnvelopeLoad}); three continue a
 *       thread each, the fourth writes to an identity on another node (one federation outbox item each);</li>
 *   <li>a webhook takes every {@code envelope.accepted} event (webhook outbox);</li>
 *   <li>a client mails accepted envelopes out through the email outbox to a real SMTP server ({@link EmailLoad}).</li>
 * </ul>
 *
 * <p>Afterwards ({@link #verify}): every envelope a client was told 201 for is stored once and announced, nothing else
 * from the clients is stored, no thread has a gap; the other node holds every federated envelope once; the webhook got
 * every stored envelope of the threads under one delivery id, signed with the node key; the SMTP server got every
 * accepted email and none twice; no outbox item is left queued or dead; the audit chain verifies. A delivery or email
 * that arrives twice is allowed only when a kill of the service sending it came within the repeat window after the
 * first copy.
 */
final class MixedLoad implements AutoCloseable {

    static final Map<String, String> AS_ADMIN = Map.of("x-loom-admin-token", SharedSplitNode.ADMIN_TOKEN);
    /** The domain the split node's clients write from; the other node is told it belongs to the split node. */
    private static final String LOCAL_DOMAIN = "fault.test";
    private static final Duration PROGRESS_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);

    /** How far each kind of work has come: envelopes accepted, webhook deliveries received, emails received. */
    record Progress(int envelopes, int webhooks, int emails) {
    }

    private final SplitNode node;
    private final NodeClient client;
    private final PeerNode peer;
    private final MailReceiver mail;
    private final WebhookReceiver webhooks;
    private final String webhookId;
    private final String peerReaderToken;
    private final List<EnvelopeLoad.Client> clients;
    private final EnvelopeLoad envelopes;
    private final EmailLoad emails;

    private MixedLoad(SplitNode node, PeerNode peer, MailReceiver mail, String run) {
        this.node = node;
        this.peer = peer;
        this.mail = mail;
        this.client = new NodeClient(node.gatewayUrl());
        NodeClient there = peer.client();
        TestIdentity reader = TestIdentity.generate("loom://reader" + run + "@" + LOCAL_DOMAIN);
        TestIdentity carol = TestIdentity.generate("loom://carol" + run + "@" + peer.domain());
        client.register(reader);
        there.register(carol);
        this.peerReaderToken = there.token(carol);
        linkNodes();

        List<EnvelopeLoad.Client> senders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TestIdentity sender = TestIdentity.generate("loom://sender" + i + "x" + run + "@" + LOCAL_DOMAIN);
            client.register(sender);
            boolean federating = i == 3;
            senders.add(new EnvelopeLoad.Client(sender, client.token(sender),
                    List.of(federating ? carol.identity() : reader.identity()), federating));
        }
        this.clients = List.copyOf(senders);
        this.webhooks = WebhookReceiver.start("/hooks/" + run, node.nodeKey().verifyingKey());
        this.webhookId = registerWebhook(webhooks.url());
        this.envelopes = new EnvelopeLoad(client, clients);
        AtomicInteger turn = new AtomicInteger();
        this.emails = new EmailLoad(client, run, () -> {
            EnvelopeLoad.Client from = clients.get(turn.getAndIncrement() % 3);
            EnvelopeLoad.Accepted last = envelopes.lastAcceptedOf(from);
            return last == null ? null : new EmailLoad.Source(last.envelopeId(), from.token());
        });
    }

    /**
     * Sets up identities on both nodes, registers each node with the other and a webhook, and starts the load.
     * {@code mail} must listen where the split node relays email.
     */
    static MixedLoad start(SplitNode node, PeerNode peer, MailReceiver mail, String run) {
        MixedLoad load = new MixedLoad(node, peer, mail, run);
        load.envelopes.start();
        load.emails.start();
        return load;
    }

    Progress progress() {
        return new Progress(envelopes.acceptedCount(), webhooks.count(), mail.count());
    }

    /** Waits until each kind of work has come {@code by} further than {@code since}. */
    void awaitProgress(String phase, Progress since, Progress by) {
        awaitAtLeast("envelopes accepted " + phase, envelopes::acceptedCount, since.envelopes() + by.envelopes());
        awaitAtLeast("webhook deliveries " + phase, webhooks::count, since.webhooks() + by.webhooks());
        awaitAtLeast("emails " + phase, mail::count, since.emails() + by.emails());
    }

    /** Answers the clients got that were not a decision (no answer, 502, 503) — a sign a fault was felt. */
    int undecidedAnswers() {
        return envelopes.undecidedAnswers();
    }

    /** Stops submitting and mailing; what is in flight is left to drain. */
    void stop() {
        emails.close();
        envelopes.close();
    }

    /**
     * Checks the outcome (see the class comment). {@code kills} with {@code repeatWindow} explain repeated deliveries;
     * with no kills of a delivering service, no delivery may arrive twice.
     */
    void verify(String bootstrapServers, List<Kill> kills, Duration repeatWindow) throws SQLException {
        // Clients: every 201 stands for exactly one stored envelope, and nothing unanswered was stored twice.
        assertThat(envelopes.anomalies()).as("answers that were neither a decision nor a late one").isEmpty();
        assertThat(emails.anomalies()).as("email answers other than 201, 502, 503").isEmpty();
        Map<String, EnvelopeLoad.Accepted> accepted = envelopes.accepted();
        Set<String> threads = envelopes.threads();
        Set<String> senders = clients.stream().map(c -> c.identity().identity()).collect(Collectors.toSet());
        Map<String, Integer> fromClients = FaultChecks.storedEnvelopesFrom(node, threads, senders);
        assertThat(fromClients.keySet()).as("stored client envelopes").containsExactlyInAnyOrderElementsOf(
                accepted.keySet());
        assertThat(fromClients.values()).as("copies of each envelope").containsOnly(1);
        assertThat(FaultChecks.eventSequenceGaps(node, threads)).as("threads with gaps").isEmpty();
        await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(
                FaultChecks.acceptedEvents(bootstrapServers, threads)).containsAll(accepted.keySet()));

        // Federation: the other node holds each federated envelope once; nothing is left in the outbox.
        Set<String> federated = federated();
        assertThat(federated).as("federated envelopes").isNotEmpty();
        await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(peerCopies(accepted)).as("copies on the other node")
                        .containsOnlyKeys(federated).allSatisfy((id, copies) -> assertThat(copies).isEqualTo(1)));
        String federatingToken = clients.get(3).token();
        String federationOutbox = "/v1/federation/outbox?recipient_node=" + peer.domain() + "&status=";
        await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(
                outboxItems(federationOutbox + "queued", federatingToken, Map.of()))
                .as("federation items still queued").isEmpty());
        assertThat(outboxItems(federationOutbox + "failed", federatingToken, Map.of()))
                .as("federation dead letters").isEmpty();

        // Webhooks: every stored envelope of the threads (receipts too) under exactly one delivery id, signed.
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
        assertThat(FaultChecks.unexplainedRepeats(webhookArrivals, kills, "delivery-worker", repeatWindow))
                .as("webhook deliveries repeated without a kill to explain it").isEmpty();
        String webhookOutbox = "/v1/webhooks/outbox?webhook_id=" + webhookId + "&status=";
        assertThat(outboxItems(webhookOutbox + "queued", null, AS_ADMIN)).as("webhook items still queued").isEmpty();
        assertThat(outboxItems(webhookOutbox + "failed", null, AS_ADMIN)).as("webhook dead letters").isEmpty();

        // Email: each accepted email arrived, none twice; an email whose answer was lost arrived at most once.
        Map<String, String> confirmed = emails.confirmed();
        await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(
                mail.arrivalsBySubject(emails.subjectPrefix()).keySet()).containsAll(confirmed.keySet()));
        Map<String, List<Instant>> mailArrivals = mail.arrivalsBySubject(emails.subjectPrefix());
        Set<String> sent = new HashSet<>(confirmed.keySet());
        sent.addAll(emails.unknown());
        assertThat(sent).as("every email received was sent by the test").containsAll(mailArrivals.keySet());
        assertThat(FaultChecks.unexplainedRepeats(mailArrivals, kills, "email-bridge", repeatWindow))
                .as("emails repeated without a kill to explain it").isEmpty();
        for (EnvelopeLoad.Client mailer : clients.subList(0, 3)) {
            // Each caller lists the items it queued.
            assertThat(outboxItems("/v1/email/outbox?status=queued&limit=200", mailer.token(), Map.of()))
                    .as("email items still queued").isEmpty();
            assertThat(outboxItems("/v1/email/outbox?status=failed&limit=200", mailer.token(), Map.of()))
                    .as("email dead letters").isEmpty();
        }

        // The audit chain took records from every service through every fault and still verifies.
        JsonNode verified = client.send(client.request("/v1/audit/verify", null, AS_ADMIN).GET()).expect(200);
        assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
    }

    /** One line of figures for the test's output. */
    String summary() {
        Map<String, EnvelopeLoad.Accepted> accepted = envelopes.accepted();
        long repeats = webhooks.count() - webhooks.arrivals().stream().map(WebhookReceiver.Arrival::deliveryId)
                .distinct().count();
        int mailed = mail.arrivalsBySubject(emails.subjectPrefix()).values().stream().mapToInt(List::size).sum();
        return String.format(Locale.ROOT, "%d envelopes accepted (%d federated, %d needed retries, %d late or failed"
                        + " answers), %d webhook deliveries (%d repeats), %d emails accepted and %d unknown,"
                        + " %d received", accepted.size(), federated().size(),
                accepted.values().stream().filter(a -> a.attempts() > 1).count(), envelopes.undecidedAnswers(),
                webhooks.count(), repeats, emails.confirmed().size(), emails.unknown().size(), mailed);
    }

    /** Stops the load and the webhook receiver and removes the webhook, so a shared node is left as it was. */
    @Override
    public void close() {
        stop();
        try {
            client.send(client.request("/v1/webhooks/" + webhookId, null, AS_ADMIN).DELETE());
        } finally {
            webhooks.close();
        }
    }

    private Set<String> federated() {
        return envelopes.accepted().values().stream().filter(EnvelopeLoad.Accepted::federated)
                .map(EnvelopeLoad.Accepted::envelopeId).collect(Collectors.toSet());
    }

    /** Each node registers the other with the key it was given, so deliveries are signed and verified both ways. */
    private void linkNodes() {
        ObjectNode local = LoomJson.mapper().createObjectNode()
                .put("node_id", node.environment("federation-service").get("LOOM_NODE_ID"))
                .put("domain", LOCAL_DOMAIN)
                .put("key_id", node.environment("federation-service").get("LOOM_NODE_SIGNING_KEY_ID"))
                .put("public_key_pem", node.nodeKey().verifyingKey().toSpkiPem())
                .put("deliver_url", node.gatewayUrl() + "/v1/federation/deliver")
                .put("api_url", node.gatewayUrl() + "/v1");
        peer.client().post("/v1/federation/nodes", null, local, peer.asAdmin()).expect(201);
        client.post("/v1/federation/nodes", null, peer.registration(), AS_ADMIN).expect(201);
    }

    private String registerWebhook(String url) {
        ObjectNode webhook = LoomJson.mapper().createObjectNode()
                .put("url", url).put("max_attempts", 20).put("timeout_ms", 5000);
        webhook.putArray("events").add("envelope.accepted");
        return client.post("/v1/webhooks", null, webhook, AS_ADMIN).expect(201).get("id").stringValue();
    }

    /** How many times the other node stores each envelope of the test's federated threads. */
    private Map<String, Integer> peerCopies(Map<String, EnvelopeLoad.Accepted> accepted) {
        Map<String, Integer> copies = new HashMap<>();
        NodeClient there = peer.client();
        accepted.values().stream().filter(EnvelopeLoad.Accepted::federated).map(EnvelopeLoad.Accepted::threadId)
                .distinct().forEach(threadId -> {
                    var answer = there.get("/v1/threads/" + threadId + "/envelopes", peerReaderToken);
                    if (answer.status() == 200) {
                        NodeClient.envelopeIds(answer.body()).forEach(id -> copies.merge(id, 1, Integer::sum));
                    }
                });
        return copies;
    }

    private List<JsonNode> outboxItems(String path, String token, Map<String, String> headers) {
        JsonNode answer = client.send(client.request(path, token, headers).GET()).expect(200);
        return answer.get("outbox").valueStream().toList();
    }

    private static void awaitAtLeast(String what, IntSupplier counter, int target) {
        await(what).atMost(PROGRESS_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> counter.getAsInt() >= target);
    }
}
