package org.loom.load;

/**
 * Delivery from the target node to the peer.
 *
 * @param supported  false when the target does not serve federation
 * @param peerNodeId the peer's {@code node_id} from its node document
 * @param expected   envelopes the target accepted for recipients on the peer
 * @param delivered  of those, found stored on the peer before the deadline
 * @param seconds    from the first submission to the target to the last envelope seen on the peer
 */
public record FederationResult(
        boolean supported,
        String peerNodeId,
        int expected,
        int delivered,
        double seconds) {

    static FederationResult unsupported() {
        return new FederationResult(false, "", 0, 0, 0);
    }

    /** Envelopes per second that reached the peer. */
    public double rate() {
        return seconds > 0 ? delivered / seconds : 0;
    }
}
