package org.loom.protocol.receipt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.Ulid;

/**
 * Receipts the node writes itself (spec §15.6, §24.3): {@code receipt} envelopes sent from the node's own identity
 * and signed with the node key, telling a sender what became of a delivery to another node.
 *
 * <p>They reach the envelope-service on the command topic under {@link #SUBMIT_ROUTE}, a route no client request can
 * carry a valid one through: the envelope-service takes an envelope from the node identity only on that route, and
 * only when the node key signed it.
 */
public final class NodeReceipts {

    /** The route recorded in the commands that carry node receipts. */
    public static final String SUBMIT_ROUTE = "/v1/federation/outbox";
    /** The intent prefix every node receipt carries. */
    public static final String INTENT_PREFIX = "receipt.";
    public static final String DELIVERED = "receipt.delivered@v1";
    public static final String FAILED = "receipt.failed@v1";

    private NodeReceipts() {
    }

    /** The identity the node writes as, {@code loom://node@<node id>}; a node id that is no domain gets a fixed one. */
    public static String nodeIdentity(String nodeId) {
        String candidate = "loom://node@" + nodeId;
        return LoomAddress.isValid(candidate) ? candidate : "loom://node@loom-node.local";
    }

    /**
     * An envelope id that depends only on its inputs, so that writing the same receipt twice yields the same id and
     * the second is refused as a duplicate rather than stored again.
     *
     * @param at   the time part of the id (the moment the receipt is about)
     * @param seed what identifies the receipt: the delivery, the outcome, the thread
     */
    public static String envelopeId(Instant at, String seed) {
        ByteBuffer digest = ByteBuffer.wrap(Sha256.digest(seed.getBytes(StandardCharsets.UTF_8)));
        int high = digest.getShort() & 0xFFFF;
        long low = digest.getLong();
        return IdPrefix.ENVELOPE.format(new Ulid(Math.max(0, at.toEpochMilli()), high, low));
    }
}
