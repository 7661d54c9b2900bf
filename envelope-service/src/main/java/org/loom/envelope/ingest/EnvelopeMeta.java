package org.loom.envelope.ingest;

import java.util.Objects;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code meta} the node assigns to an envelope it stores, and where it goes in the JSON.
 *
 * <p>{@code meta} is outside the signature, so the node may add to it. What the sender put in {@code meta} stays, in
 * its order, with the node's keys after it; a node key the sender also sent keeps the sender's position but gets the
 * node's value, except {@code origin_event_seq}, which a sender (a federating node) may set to its own sequence
 * number. Without a {@code meta} from the sender, it becomes the envelope's last member.
 *
 * @param nodeId        this node's id
 * @param receivedAt    when the node stored the envelope, millisecond UTC form
 * @param eventSeq      the envelope's position in its thread's event sequence
 * @param pendingParent true when the envelope names a parent the node does not hold in any thread
 */
record EnvelopeMeta(String nodeId, String receivedAt, long eventSeq, boolean pendingParent) {

    EnvelopeMeta {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** A copy of the sent envelope carrying this meta. */
    ObjectNode stamp(ObjectNode sent) {
        ObjectNode stored = sent.deepCopy();
        JsonNode sentMeta = stored.get("meta");
        ObjectNode meta = sentMeta instanceof ObjectNode object ? object : LoomJson.mapper().createObjectNode();
        JsonNode originEventSeq = meta.get("origin_event_seq");
        meta.put("node_id", nodeId);
        meta.put("received_at", receivedAt);
        meta.put("event_seq", eventSeq);
        if (originEventSeq == null || originEventSeq.isNull()) {
            meta.put("origin_event_seq", eventSeq);
        }
        meta.put("pending_parent", pendingParent);
        stored.set("meta", meta);
        return stored;
    }
}
