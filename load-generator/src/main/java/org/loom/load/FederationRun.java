package org.loom.load;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Federation delivery rate: identities of the target's domain write to identities of the peer's domain, the target
 * federates every accepted envelope on its own (spec §16.1), and the peer is polled as each envelope's recipient
 * until it stores them.
 *
 * <p>The nodes must already trust each other: each registered in the other's node registry, so the target knows
 * where the peer's domain is delivered and the peer can fetch the senders' keys from the target.
 */
final class FederationRun {

    /** How long to wait between polls of the peer. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    /** The most envelopes asked for in one polling round. */
    private static final int POLL_ROUND = 200;

    private final NodeClient target;
    private final NodeClient peer;
    private final int concurrency;

    FederationRun(NodeClient target, NodeClient peer, int concurrency) {
        this.target = target;
        this.peer = peer;
        this.concurrency = concurrency;
    }

    /** Whether the target serves the federation outbox; a 404 means the route does not exist there. */
    boolean supported(String token) {
        try {
            return target.get("/v1/federation/outbox", token).status() != 404;
        } catch (IOException e) {
            throw new LoadFailure("cannot reach " + target.base() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadFailure("interrupted", e);
        }
    }

    /** The peer's node id, as its node document gives it. */
    String peerNodeId() {
        return documentField(peer, "node_id");
    }

    /** The domain of the target's own identities, as its node document gives it. */
    String targetDomain() {
        return documentField(target, "domain");
    }

    /** The domain of the peer's own identities, as its node document gives it. */
    String peerDomain() {
        return documentField(peer, "domain");
    }

    private static String documentField(NodeClient node, String field) {
        return node.nodeDocument().map(document -> document.path(field).asString(""))
                .filter(value -> !value.isEmpty())
                .orElseThrow(() -> new LoadFailure("the node " + node.base() + " serves no node document with a "
                        + field + " (GET /.well-known/loom.json)"));
    }

    /** Registers the recipients on the peer and returns their tokens there. */
    String[] prepareRecipients(List<LoadIdentity> recipients) {
        String[] tokens = new String[recipients.size()];
        Workers.run("loom-load-peer-setup", concurrency, recipients.size(), index -> {
            peer.register(recipients.get(index));
            tokens[index] = peer.authenticate(recipients.get(index));
        });
        return tokens;
    }

    /**
     * Polls the peer until every accepted envelope is stored there or the deadline passes.
     *
     * @param writesBegan {@link System#nanoTime()} when the first envelope was submitted to the target
     */
    FederationResult awaitDelivery(WorkloadPlan plan, List<String> acceptedIds, String[] peerTokens,
                                   String peerNodeId, long writesBegan, Duration deadline) {
        Map<String, Integer> readerById = new HashMap<>();
        for (PlannedEnvelope envelope : plan.envelopes()) {
            readerById.put(envelope.id(), envelope.recipients().get(0));
        }
        long start = writesBegan;
        List<String> queued = List.copyOf(acceptedIds);
        Set<String> waiting = ConcurrentHashMap.newKeySet();
        waiting.addAll(queued);
        long lastSeen = start;
        long giveUp = System.nanoTime() + deadline.toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < giveUp) {
            // The oldest first and not all at once: polling thousands of envelopes that have not arrived yet would
            // load the peer that is being measured.
            List<String> round = queued.stream().filter(waiting::contains).limit(POLL_ROUND).toList();
            Workers.run("loom-load-peer-poll", concurrency, round.size(), index -> {
                String id = round.get(index);
                try {
                    if (peer.get("/v1/envelopes/" + id, peerTokens[readerById.get(id)]).status() == 200) {
                        waiting.remove(id);
                    }
                } catch (IOException e) {
                    // The peer may be busy; the next round asks again.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LoadFailure("interrupted", e);
                }
            });
            if (waiting.size() < round.size()) {
                lastSeen = System.nanoTime();
            }
            if (!waiting.isEmpty()) {
                LockSupport.parkNanos(POLL_INTERVAL.toNanos());
            }
        }
        int delivered = queued.size() - waiting.size();
        return new FederationResult(true, peerNodeId, queued.size(), delivered, (lastSeen - start) / 1e9);
    }
}
