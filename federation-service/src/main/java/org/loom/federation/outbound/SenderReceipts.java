package org.loom.federation.outbound;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.loom.federation.config.LocalNode;
import org.loom.federation.config.NodeKey;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.kafka.Topics;
import org.loom.protocol.receipt.NodeReceipts;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;
import org.loom.service.messaging.OutboxEvents;
import org.loom.service.outbox.OutboxItem;
import org.loom.service.outbox.OutboxStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tells senders what became of their federation deliveries (spec §15.6, §24.3): when an outbox item is delivered, a
 * {@code receipt.delivered@v1} envelope, and when it becomes a dead letter, a {@code receipt.failed@v1} envelope, in
 * each thread the item's envelopes belong to, addressed to their senders.
 *
 * <p>The receipts are written as the node identity and signed with the node key, and handed to the envelope-service
 * as commands through this service's transactional event outbox, in the transaction that records the item's outcome:
 * a recorded outcome always gets its receipt, and a rolled-back one none. Their envelope and message ids follow from
 * the item, the outcome and the thread, so a command relayed twice, or an item that fails again after a requeue,
 * stores no second receipt.
 */
@Component
class SenderReceipts {

    private final OutboxEnvelopes envelopes;
    private final OutboxEvents events;
    private final LocalNode local;
    private final NodeKey nodeKey;
    private final Clock clock;

    SenderReceipts(OutboxEnvelopes envelopes, OutboxEvents events, LocalNode local, NodeKey nodeKey, Clock clock) {
        this.envelopes = envelopes;
        this.events = events;
        this.local = local;
        this.nodeKey = nodeKey;
        this.clock = clock;
    }

    /** Queues the receipts for an item whose outcome is being recorded; nothing for an item still queued. */
    @Transactional(propagation = Propagation.MANDATORY)
    void outcomeRecorded(OutboxItem item) {
        if (item.status() == OutboxStatus.DELIVERED) {
            Set<String> accepted = acceptedIds(item);
            for (ThreadPart part : byThread(item)) {
                List<String> delivered = part.envelopeIds().stream()
                        .filter(id -> accepted == null || accepted.contains(id)).toList();
                if (!delivered.isEmpty()) {
                    ObjectNode parameters = parameters(item, delivered);
                    parameters.put("delivered_at", Timestamps.format(item.deliveredAt() != null
                            ? item.deliveredAt() : item.updatedAt()));
                    submit(item, part, NodeReceipts.DELIVERED, parameters,
                            "Delivered to " + item.field("recipient_node") + ".");
                }
            }
        } else if (item.status() == OutboxStatus.FAILED) {
            String reason = reason(item).name();
            for (ThreadPart part : byThread(item)) {
                ObjectNode parameters = parameters(item, part.envelopeIds());
                parameters.put("reason", reason);
                parameters.put("failed_at", Timestamps.format(item.updatedAt()));
                parameters.put("attempts", item.attempts());
                parameters.put("last_error", item.lastError());
                if (item.lastHttpStatus() != null) {
                    parameters.put("last_http_status", item.lastHttpStatus());
                }
                submit(item, part, NodeReceipts.FAILED, parameters,
                        "Not delivered to " + item.field("recipient_node") + " (" + reason + ").");
            }
        }
    }

    /**
     * The spec's two reasons: {@code DELIVERY_TIMEOUT} when the item's time to live ran out, else
     * {@code NODE_UNREACHABLE} (its attempts ran out, or the delivery could never succeed).
     */
    static ErrorCode reason(OutboxItem item) {
        return item.expiresAt() != null && !item.updatedAt().isBefore(item.expiresAt())
                ? ErrorCode.DELIVERY_TIMEOUT : ErrorCode.NODE_UNREACHABLE;
    }

    private void submit(OutboxItem item, ThreadPart part, String intent, ObjectNode parameters, String text) {
        String id = NodeReceipts.envelopeId(item.createdAt(), item.id() + "|" + intent + "|" + part.threadId());
        String identity = NodeReceipts.nodeIdentity(local.nodeId());
        ObjectNode unsigned = LoomJson.mapper().createObjectNode();
        unsigned.put("loom", "1.1");
        unsigned.put("id", id);
        unsigned.put("thread_id", part.threadId());
        unsigned.put("parent_id", part.envelopeIds().get(part.envelopeIds().size() - 1));
        unsigned.put("type", "receipt");
        ObjectNode from = unsigned.putObject("from");
        from.put("identity", identity);
        from.put("key_id", nodeKey.keyId());
        from.put("type", "service");
        ArrayNode to = unsigned.putArray("to");
        part.senders().forEach(sender -> to.addObject().put("identity", sender).put("role", "primary"));
        unsigned.put("created_at", Timestamps.now(clock));
        ObjectNode content = unsigned.putObject("content");
        content.putObject("human").put("text", text);
        ObjectNode structured = content.putObject("structured");
        structured.put("intent", intent);
        structured.set("parameters", parameters);
        JsonNode signed = EnvelopeValidator.parse(EnvelopeSignatures.sign(unsigned, nodeKey.key(), nodeKey.keyId()))
                .json();
        String ulid = id.substring(id.indexOf('_') + 1);
        SubmitEnvelopeCommand command = new SubmitEnvelopeCommand("msg_" + ulid, "cor_" + ulid, identity, "service",
                nodeKey.keyId(), signed, clock.instant(), NodeReceipts.SUBMIT_ROUTE);
        events.append(Topics.ENVELOPE_COMMANDS, part.threadId(), command);
    }

    private static ObjectNode parameters(OutboxItem item, List<String> envelopeIds) {
        ObjectNode parameters = LoomJson.mapper().createObjectNode();
        ArrayNode ids = parameters.putArray("envelope_ids");
        envelopeIds.forEach(ids::add);
        parameters.put("recipient_node", item.field("recipient_node"));
        parameters.put("outbox_id", item.id());
        parameters.put("delivery_id", item.field("delivery_id"));
        return parameters;
    }

    /** The ids the remote node said it accepted; null when its answer did not say, which counts as all of them. */
    private static Set<String> acceptedIds(OutboxItem item) {
        JsonNode accepted = item.result() == null ? null : item.result().get("accepted_envelope_ids");
        if (accepted == null || !accepted.isArray()) {
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        accepted.forEach(id -> ids.add(id.asString("")));
        return ids;
    }

    /** The item's envelopes grouped by thread, in the order they were queued, with their distinct senders. */
    private List<ThreadPart> byThread(OutboxItem item) {
        Map<String, ThreadPart> parts = new LinkedHashMap<>();
        for (JsonNode envelope : envelopes.load(item.id())) {
            String threadId = envelope.path("thread_id").asString("");
            String sender = envelope.at("/from/identity").asString("");
            if (threadId.isEmpty() || sender.isEmpty()) {
                continue;
            }
            ThreadPart part = parts.computeIfAbsent(threadId,
                    id -> new ThreadPart(id, new ArrayList<>(), new LinkedHashSet<>()));
            part.envelopeIds().add(envelope.path("id").asString(""));
            part.senders().add(sender);
        }
        return List.copyOf(parts.values());
    }

    private record ThreadPart(String threadId, List<String> envelopeIds, Set<String> senders) {
    }
}
