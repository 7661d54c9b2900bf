package org.loom.load;

/**
 * Delivery from the target node to the peer.
 *
 * @param supported    false when the target does not serve the federation outbox route
 * @param peerNodeId   the peer's {@code node_id} from its node document
 * @param queued       envelopes handed to the target's federation outbox
 * @param delivered    of those, found stored on the peer before the deadline
 * @param seconds      from the first outbox request to the last envelope seen on the peer
 * @param outboxErrors outbox requests the target refused
 */
public record FederationResult(
        boolean supported,
        String peerNodeId,
        int queued,
        int delivered,
        double seconds,
        int outboxErrors) {

    static FederationResult unsupported() {
        return new FederationResult(false, "", 0, 0, 0, 0);
    }

    /** Envelopes per second that reached the peer. */
    public double rate() {
        return seconds > 0 ? delivered / seconds : 0;
    }
}
