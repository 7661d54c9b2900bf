package org.loom.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.loom.protocol.json.LoomJson;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Kafka broker of a split node, in a JVM of its own, is killed with {@code kill -9} while clients keep submitting
 * envelopes and a webhook takes every accepted one, then started again on the same port and data. Every envelope a
 * client was told 201 for is stored once and announced, nothing else is; the webhook gets every stored envelope under
 * one delivery id, none twice; no webhook item is left queued or dead; the audit chain verifies.
 *
 * <p>The broker is not the test JVM's shared one (killing that would break every other test); this class runs in a
 * surefire fork of its own (system-tests/pom.xml, by its tag), with a split node of its own.
 */
@Tag("own-broker")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class BrokerKillUnderLoadTest {

    private static final Map<String, String> AS_ADMIN = Map.of("x-loom-admin-token", SharedSplitNode.ADMIN_TOKEN);
    /** Long enough for the services' producers and consumers to notice, short of their own give-up timeouts. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(5);
    private static final Duration PROGRESS_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void killingTheBrokerUnderLoadLosesNoEnvelopeDuplicatesNothingAndWebhooksResume() throws Exception {
        long began = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path workDir = ServiceJars.repositoryRoot().resolve("system-tests/target/broker-fault")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS")));
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(workDir);
                SplitNode node = SplitNode.start(SharedSplitNode.TEST_OVERRIDES, broker.bootstrapServers());
                WebhookReceiver webhooks = WebhookReceiver.start("/hooks/" + run, node.nodeKey().verifyingKey())) {
            NodeClient client = new NodeClient(node.gatewayUrl());
            TestIdentity reader = TestIdentity.generate("loom://reader" + run + "@broker.test");
            client.register(reader);
            List<EnvelopeLoad.Client> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TestIdentity sender = TestIdentity.generate("loom://sender" + i + "x" + run + "@broker.test");
                client.register(sender);
                clients.add(new EnvelopeLoad.Client(sender, client.token(sender), List.of(reader.identity()), false));
            }
            Set<String> senders = clients.stream().map(c -> c.identity().identity()).collect(Collectors.toSet());
            ObjectNode webhook = LoomJson.mapper().createObjectNode()
                    .put("url", webhooks.url()).put("max_attempts", 20).put("timeout_ms", 5000);
            webhook.putArray("events").add("envelope.accepted");
            String webhookId = client.post("/v1/webhooks", null, webhook, AS_ADMIN).expect(201).get("id")
                    .stringValue();

            EnvelopeLoad envelopes = new EnvelopeLoad(client, clients);
            Instant killedAt;
            try {
                envelopes.start();
                awaitGrowth("envelopes accepted before the kill", envelopes::acceptedCount, 8);
                awaitGrowth("webhook deliveries before the kill", webhooks::count, 4);

                int undecidedBefore = envelopes.undecidedAnswers();
                killedAt = Instant.now();
                broker.kill();
                ChildJvm.pause(DOWN_FOR);
                broker.restart();
                System.out.printf(Locale.ROOT, "broker fault test: broker serving again %.1f s after the kill%n",
                        Duration.between(killedAt, Instant.now()).toMillis() / 1000.0);
                awaitGrowth("envelopes accepted after the restart", envelopes::acceptedCount, 6);
                awaitGrowth("webhook deliveries after the restart", webhooks::count, 3);
                assertThat(envelopes.undecidedAnswers()).as("the clients felt the broker's absence")
                        .isGreaterThan(undecidedBefore);
            } finally {
                envelopes.close();
            }

            assertThat(envelopes.anomalies()).as("answers that were neither a decision nor a late one").isEmpty();
            Map<String, EnvelopeLoad.Accepted> accepted = envelopes.accepted();
            Set<String> threads = envelopes.threads();
            Map<String, Integer> stored = FaultChecks.storedEnvelopesFrom(node, threads, senders);
            assertThat(stored.keySet()).as("stored envelopes").containsExactlyInAnyOrderElementsOf(accepted.keySet());
            assertThat(stored.values()).as("copies of each envelope").containsOnly(1);
            assertThat(FaultChecks.eventSequenceGaps(node, threads)).as("threads with gaps").isEmpty();
            await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(
                    FaultChecks.acceptedEvents(broker.bootstrapServers(), threads)).containsAll(accepted.keySet()));

            await().atMost(DRAIN_TIMEOUT).untilAsserted(() -> assertThat(
                    webhooks.deliveryIdsByEnvelope(threads).keySet()).containsAll(accepted.keySet()));
            Map<String, Set<String>> deliveryIds = webhooks.deliveryIdsByEnvelope(threads);
            assertThat(deliveryIds.keySet()).as("envelopes announced to the webhook")
                    .containsExactlyInAnyOrderElementsOf(accepted.keySet());
            assertThat(deliveryIds).as("delivery ids per envelope")
                    .allSatisfy((id, ids) -> assertThat(ids).as(id).hasSize(1));
            Map<String, List<Instant>> arrivals = webhooks.arrivals().stream()
                    .collect(Collectors.groupingBy(WebhookReceiver.Arrival::deliveryId,
                            Collectors.mapping(WebhookReceiver.Arrival::at, Collectors.toList())));
            // No service was killed: no delivery may arrive twice.
            assertThat(FaultChecks.unexplainedRepeats(arrivals, List.of(), "delivery-worker", Duration.ZERO))
                    .as("webhook deliveries repeated").isEmpty();
            assertThat(webhooks.badSignatures()).as("deliveries not signed with the node key").isEmpty();
            for (String status : List.of("queued", "failed")) {
                JsonNode items = client.send(client.request("/v1/webhooks/outbox?webhook_id=" + webhookId
                        + "&status=" + status, null, AS_ADMIN).GET()).expect(200).get("outbox");
                assertThat(items.size()).as("webhook items " + status).isZero();
            }
            JsonNode verified = client.send(client.request("/v1/audit/verify", null, AS_ADMIN).GET())
                    .expect(200);
            assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();

            System.out.printf(Locale.ROOT, "broker fault test: %d envelopes accepted (%d needed retries, %d late or"
                    + " failed answers), %d webhook deliveries; %.0f s in all%n", accepted.size(),
                    accepted.values().stream().filter(a -> a.attempts() > 1).count(), envelopes.undecidedAnswers(),
                    webhooks.count(), (System.nanoTime() - began) / 1e9);
        }
    }

    /** Waits until {@code counter} has grown by {@code by} from now. */
    private static void awaitGrowth(String what, IntSupplier counter, int by) {
        int target = counter.getAsInt() + by;
        await(what).atMost(PROGRESS_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> counter.getAsInt() >= target);
    }
}
