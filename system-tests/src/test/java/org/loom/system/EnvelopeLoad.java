package org.loom.system;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.testsupport.client.NodeAnswer;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.node.ObjectNode;

/**
 * Clients that keep submitting signed envelopes through the gateway, each on its own thread, as careful clients do:
 * every envelope with an {@code Idempotency-Key}, and an undecided submission (502, 503, no answer at all) retried with
 * the same key and bytes until the node decides. What the node answered {@code 201} for is remembered; any other
 * answer is an anomaly, except {@code 409 ENVELOPE_DUPLICATE} to a retry: the gateway submits an envelope again once
 * its first command has waited {@code LOOM_IDEMPOTENCY_ABANDONED_COMMAND_MS} without a decision, and if that first
 * command did arrive after all, the envelope is stored and the second copy refused, as docs/api.md tells clients.
 *
 * <p>A client either continues one thread of its own, addressed to a local reader, or (a federating client) starts a
 * new thread with every envelope, addressed to an identity on another node: each such envelope goes out through the
 * federation outbox, and, being a thread root, the receiving node can take the envelopes in any order.
 */
final class EnvelopeLoad implements AutoCloseable {

    /** Answers a client keeps retrying with the same key: the outcome is not known yet. */
    private static final Set<Integer> UNDECIDED = Set.of(502, 503);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    /** A breather between two envelopes of one client, so that restarts on two cores are not starved. */
    private static final Duration PACE = Duration.ofMillis(150);
    /** Past every restart of the test: a submission still undecided after this will stay so. */
    private static final Duration DECISION_DEADLINE = Duration.ofMinutes(4);

    /** One envelope the node accepted. */
    record Accepted(String envelopeId, String threadId, String sender, boolean federated, int attempts) {
    }

    /** A client: who it is, its token, and where its envelopes go. */
    record Client(TestIdentity identity, String token, List<String> recipients, boolean federating) {
    }

    private final NodeClient node;
    private final List<Client> clients;
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();
    private final Map<String, Accepted> lastBySender = new ConcurrentHashMap<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final List<String> anomalies = new ArrayList<>();
    private final AtomicInteger undecided = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> running = new ArrayList<>();

    EnvelopeLoad(NodeClient node, List<Client> clients) {
        this.node = node;
        this.clients = List.copyOf(clients);
    }

    /** Starts every client on a thread of its own. */
    EnvelopeLoad start() {
        for (Client client : clients) {
            Thread thread = new Thread(() -> keepSubmitting(client), "envelope-load-" + client.identity().identity());
            thread.setDaemon(true);
            thread.start();
            running.add(thread);
        }
        return this;
    }

    /** Asks every client to stop after its current envelope is decided, and waits for them. */
    @Override
    public void close() {
        stop.set(true);
        for (Thread thread : running) {
            try {
                thread.join(DECISION_DEADLINE.toMillis() + 30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    Map<String, Accepted> accepted() {
        return Map.copyOf(accepted);
    }

    int acceptedCount() {
        return accepted.size();
    }

    /** Every thread the clients wrote to. */
    Set<String> threads() {
        return Set.copyOf(threads);
    }

    /** Late, failed or missing answers so far: how much of the faults the clients felt. */
    int undecidedAnswers() {
        return undecided.get();
    }

    List<String> anomalies() {
        synchronized (anomalies) {
            return List.copyOf(anomalies);
        }
    }

    /** The last envelope a client got 201 for, if any: something to mail out. */
    Accepted lastAcceptedOf(Client client) {
        return lastBySender.get(client.identity().identity());
    }

    private void keepSubmitting(Client client) {
        String threadId = LoomIds.next(IdPrefix.THREAD);
        String parentId = null;
        int sent = 0;
        while (!stop.get()) {
            if (client.federating()) {
                threadId = LoomIds.next(IdPrefix.THREAD);
                parentId = null;
            }
            threads.add(threadId);
            ObjectNode envelope = NodeClient.message(client.identity(), threadId, parentId, client.recipients(),
                    "envelope " + (++sent) + " of " + client.identity().identity());
            String id = envelope.get("id").stringValue();
            Integer attempts = submitUntilDecided(client.token(), envelope);
            if (attempts == null) {
                return;
            }
            Accepted done = new Accepted(id, threadId, client.identity().identity(), client.federating(), attempts);
            accepted.put(id, done);
            lastBySender.put(done.sender(), done);
            parentId = id;
            ChildJvm.pause(PACE);
        }
    }

    /** The number of attempts it took to get 201; null (and an anomaly) for any other final answer. */
    private Integer submitUntilDecided(String token, ObjectNode envelope) {
        String key = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + DECISION_DEADLINE.toNanos();
        int attempts = 0;
        String lastAnswer = "none";
        while (System.nanoTime() < deadline) {
            attempts++;
            NodeAnswer answer;
            try {
                answer = node.post("/v1/envelopes", token, envelope, Map.of("Idempotency-Key", key));
            } catch (UncheckedIOException e) {
                lastAnswer = "no answer: " + e.getMessage();
                undecided.incrementAndGet();
                ChildJvm.pause(RETRY_PAUSE);
                continue;
            }
            if (answer.status() == 201) {
                return attempts;
            }
            if (attempts > 1 && answer.status() == 409
                    && "ENVELOPE_DUPLICATE".equals(answer.errorCode())) {
                return attempts;
            }
            if (UNDECIDED.contains(answer.status())) {
                lastAnswer = answer.status() + " " + answer.raw();
                undecided.incrementAndGet();
                ChildJvm.pause(RETRY_PAUSE);
                continue;
            }
            anomaly(envelope.get("id").stringValue() + " attempt " + attempts + ": " + answer.status() + " "
                    + answer.raw());
            return null;
        }
        anomaly(envelope.get("id").stringValue() + " (key " + key + "): undecided after " + attempts
                + " attempts; last answer " + lastAnswer);
        return null;
    }

    private void anomaly(String what) {
        synchronized (anomalies) {
            anomalies.add(what);
        }
    }
}
