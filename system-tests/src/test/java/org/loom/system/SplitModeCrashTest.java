package org.loom.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.testsupport.TestInfrastructure;
import org.loom.testsupport.client.NodeAnswer;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The envelope-service of a split node is killed with {@code kill -9} while eight clients keep submitting, then
 * started again. Every envelope a client was told 201 for is stored exactly once and announced on
 * {@code loom.envelope.events}, nothing else is, and a client that retries with its {@code Idempotency-Key} gets the
 * original answer.
 */
@ExtendWith(SharedSplitNode.class)
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class SplitModeCrashTest {

    /** How long a client waits before retrying an undecided submission (the node is restarting). */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);


    private static final int CLIENTS = 8;
    /** Answers a client keeps retrying with the same key: the outcome is not known yet. */
    private static final Set<Integer> UNDECIDED = Set.of(502, 503);
    private static final Duration DECISION_DEADLINE = Duration.ofMinutes(8);

    private final Map<String, Submission> accepted = new ConcurrentHashMap<>();
    private final List<String> anomalies = new ArrayList<>();
    private final AtomicInteger undecidedAnswers = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile int undecidedBeforeCrash;

    @Test
    void envelopeServiceKilledWhileEightClientsSubmitLosesAndDuplicatesNothing(SplitNode node) throws Exception {
        NodeClient client = new NodeClient(node.gatewayUrl());
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestIdentity reader = TestIdentity.generate("loom://reader" + run + "@crash.test");
        client.register(reader);
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            TestIdentity identity = TestIdentity.generate("loom://sender" + i + "x" + run + "@crash.test");
            client.register(identity);
            senders.add(new Sender(identity, client.token(identity), LoomIds.next(IdPrefix.THREAD)));
        }
        Set<String> threads = new HashSet<>();
        senders.forEach(sender -> threads.add(sender.threadId()));

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (Sender sender : senders) {
                running.add(pool.submit(() -> keepSubmitting(client, sender, reader)));
            }
            await().atMost(Duration.ofMinutes(5)).until(() -> accepted.size() >= 2 * CLIENTS);

            node.kill("envelope-service");
            undecidedBeforeCrash = undecidedAnswers.get();
            // The clients now get late decisions (or none); the service is back only after some of them did.
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> undecidedAnswers.get() >= undecidedBeforeCrash + CLIENTS);
            node.restart("envelope-service");

            int beforeRecovery = accepted.size();
            await().atMost(Duration.ofMinutes(4)).until(() -> accepted.size() >= beforeRecovery + 2 * CLIENTS);
        } finally {
            stop.set(true);
            for (Future<?> submitting : running) {
                submitting.get(DECISION_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }

        synchronized (anomalies) {
            assertThat(anomalies).as("answers that were neither a decision nor a late one").isEmpty();
        }
        assertThat(undecidedAnswers.get()).as("the crash was felt by the clients")
                .isGreaterThanOrEqualTo(undecidedBeforeCrash + CLIENTS);

        Set<String> acceptedIds = accepted.keySet();
        Map<String, Integer> stored = FaultChecks.storedEnvelopes(node, threads);
        assertThat(stored.keySet()).as("stored envelopes of the test's threads")
                .containsExactlyInAnyOrderElementsOf(acceptedIds);
        assertThat(stored.values()).as("copies of each envelope").containsOnly(1);
        assertThat(FaultChecks.eventSequenceGaps(node, threads)).as("threads numbered with gaps or repeats").isEmpty();

        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                assertThat(FaultChecks.acceptedEvents(TestInfrastructure.get().kafkaBootstrapServers(), threads))
                        .containsExactlyInAnyOrderElementsOf(acceptedIds));

        System.out.printf("crash test: %d envelopes accepted, %d late or failed answers (%d after the kill),"
                + " %d envelopes needed retries%n", acceptedIds.size(), undecidedAnswers.get(),
                undecidedAnswers.get() - undecidedBeforeCrash,
                accepted.values().stream().filter(s -> s.attempts() > 1).count());

        // Every envelope whose first answers were late, and one that was answered at once, asked again.
        List<Submission> replayed = new ArrayList<>(accepted.values().stream().filter(s -> s.attempts() > 1).toList());
        replayed.add(accepted.values().stream().filter(s -> s.attempts() == 1).findFirst().orElseThrow());
        for (Submission submission : replayed) {
            NodeAnswer replay = client.post("/v1/envelopes", submission.token(), submission.envelope(),
                    Map.of("Idempotency-Key", submission.key()));
            assertThat(replay.status()).as(replay.raw()).isEqualTo(201);
            assertThat(replay.body()).isEqualTo(submission.answer());
            assertThat(replay.headers().firstValue("X-LOOM-Idempotency-Replay")).contains("true");
        }
    }

    private void keepSubmitting(NodeClient client, Sender sender, TestIdentity reader) {
        String parentId = null;
        while (!stop.get()) {
            ObjectNode envelope = NodeClient.message(sender.identity(), sender.threadId(), parentId,
                    List.of(reader.identity()), "message after " + parentId);
            Submission submission = submitUntilDecided(client, sender.token(), envelope);
            if (submission == null) {
                return;
            }
            accepted.put(envelope.get("id").stringValue(), submission);
            parentId = envelope.get("id").stringValue();
        }
    }

    /** Posts one envelope, retrying with the same key and bytes while the outcome is unknown; null on an anomaly. */
    private Submission submitUntilDecided(NodeClient client, String token, ObjectNode envelope) {
        String key = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + DECISION_DEADLINE.toNanos();
        int attempts = 0;
        while (System.nanoTime() < deadline) {
            attempts++;
            NodeAnswer answer;
            try {
                answer = client.post("/v1/envelopes", token, envelope, Map.of("Idempotency-Key", key));
            } catch (UncheckedIOException e) {
                undecidedAnswers.incrementAndGet();
                ChildJvm.pause(RETRY_PAUSE);
                continue;
            }
            if (answer.status() == 201) {
                return new Submission(token, envelope, key, answer.body(), attempts);
            }
            if (UNDECIDED.contains(answer.status())) {
                undecidedAnswers.incrementAndGet();
                ChildJvm.pause(RETRY_PAUSE);
                continue;
            }
            synchronized (anomalies) {
                anomalies.add(envelope.get("id").stringValue() + " attempt " + attempts + ": " + answer.status()
                        + " " + answer.raw());
            }
            return null;
        }
        synchronized (anomalies) {
            anomalies.add(envelope.get("id").stringValue() + ": undecided after " + attempts + " attempts");
        }
        return null;
    }

    private record Sender(TestIdentity identity, String token, String threadId) {
    }

    private record Submission(String token, ObjectNode envelope, String key, JsonNode answer, int attempts) {
    }
}
