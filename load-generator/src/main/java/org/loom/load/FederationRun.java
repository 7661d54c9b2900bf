package org.loom.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.loom.protocol.json.LoomJson;

import tools.jackson.databind.node.ObjectNode;

/**
 * Federation delivery rate: envelopes accepted on the target are handed to its federation outbox for the peer
 * ({@code POST /v1/federation/outbox}, by their senders, at most {@link #BATCH} envelopes per item), and the peer is
 * polled as each envelope's recipient until it stores them.
 *
 * <p>The nodes must already trust each other (each registered in the other's node registry); every identity of the
 * run is registered on both nodes with the same key, since a receiving node accepts envelopes only from senders it
 * knows.
 */
final class FederationRun {

    /** Envelopes per outbox item, the reference node's default inbound cap per delivery. */
    static final int BATCH = 100;

    /** How long to wait between polls of the peer. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

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

    /** The peer's node id, which the target's outbox names as the recipient node. */
    String peerNodeId() {
        return peer.nodeDocument().map(document -> document.path("node_id").asString(""))
                .filter(id -> !id.isEmpty())
                .orElseThrow(() -> new LoadFailure("the peer " + peer.base()
                        + " serves no node document with a node_id (GET /.well-known/loom.json)"));
    }

    /** Registers every identity on the peer too and returns their tokens there. */
    String[] preparePeer(List<LoadIdentity> identities) {
        String[] tokens = new String[identities.size()];
        Workers.run("loom-load-peer-setup", concurrency, identities.size(), index -> {
            peer.register(identities.get(index));
            tokens[index] = peer.authenticate(identities.get(index));
        });
        return tokens;
    }

    FederationResult deliver(WorkloadPlan plan, List<String> acceptedIds, String[] targetTokens, String[] peerTokens,
                             String peerNodeId, Duration deadline) {
        Set<String> accepted = Set.copyOf(acceptedIds);
        Map<Integer, List<String>> bySender = new LinkedHashMap<>();
        Map<String, Integer> readerById = new HashMap<>();
        for (PlannedEnvelope envelope : plan.envelopes()) {
            if (accepted.contains(envelope.id())) {
                bySender.computeIfAbsent(envelope.sender(), sender -> new ArrayList<>()).add(envelope.id());
                readerById.put(envelope.id(), envelope.recipients().get(0));
            }
        }
        List<Map.Entry<Integer, List<String>>> items = new ArrayList<>();
        bySender.forEach((sender, ids) -> {
            for (int from = 0; from < ids.size(); from += BATCH) {
                items.add(Map.entry(sender, ids.subList(from, Math.min(ids.size(), from + BATCH))));
            }
        });
        long start = System.nanoTime();
        AtomicInteger outboxErrors = new AtomicInteger();
        List<String> queued = Collections.synchronizedList(new ArrayList<>());
        Workers.run("loom-load-outbox", concurrency, items.size(), index -> {
            Map.Entry<Integer, List<String>> item = items.get(index);
            ObjectNode body = LoomJson.mapper().createObjectNode().put("recipient_node", peerNodeId);
            item.getValue().forEach(body.putArray("envelope_ids")::add);
            NodeClient.Answer answer = target.setup("/v1/federation/outbox", targetTokens[item.getKey()], body);
            if (answer.status() / 100 == 2) {
                queued.addAll(item.getValue());
            } else {
                outboxErrors.incrementAndGet();
            }
        });
        Set<String> waiting = ConcurrentHashMap.newKeySet();
        waiting.addAll(queued);
        long lastSeen = start;
        long giveUp = System.nanoTime() + deadline.toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < giveUp) {
            List<String> round = new ArrayList<>(waiting);
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
        return new FederationResult(true, peerNodeId, queued.size(), delivered, (lastSeen - start) / 1e9,
                outboxErrors.get());
    }
}
