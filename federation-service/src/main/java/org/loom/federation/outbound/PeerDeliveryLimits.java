package org.loom.federation.outbound;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The most envelopes per delivery each peer has said it takes, learned from its {@code 413} answers. A peer counts
 * every refused delivery against the sending node's reputation, so once a peer has named its limit, deliveries to it
 * are cut to that size before they are sent, and gathering stops there. Kept in memory: after a restart a replica
 * learns it again from one refusal.
 */
@Component
class PeerDeliveryLimits {

    private final Map<String, Integer> limits = new ConcurrentHashMap<>();

    /** The limit {@code nodeId} named, if it has named one to this replica. */
    OptionalInt of(String nodeId) {
        Integer limit = limits.get(nodeId);
        return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    }

    void learned(String nodeId, int maxEnvelopes) {
        limits.merge(nodeId, Math.max(1, maxEnvelopes), Math::min);
    }
}
