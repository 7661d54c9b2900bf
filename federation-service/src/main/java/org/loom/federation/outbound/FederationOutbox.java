package org.loom.federation.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.loom.federation.node.FederatedNode;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.service.audit.AuditTrail;
import org.loom.service.outbox.NewOutboxItem;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.OutboxItem;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Queues federation deliveries: outbox items for one recipient node each, holding the envelopes as this node stores
 * them; envelopes federated automatically are gathered into shared items ({@link #queueGathered}).
 * Items live 72 hours unless given another expiry; the shared outbox component retries them with backoff and turns
 * them into dead letters when their attempts or their time run out.
 */
@Service
public class FederationOutbox {

    static final Duration DEFAULT_TTL = Duration.ofHours(72);

    private final Outbox outbox;
    private final OutboxEnvelopes envelopes;
    private final AuditTrail audit;
    private final GatherSettings gather;
    private final PeerDeliveryLimits limits;
    private final Clock clock;

    FederationOutbox(Outbox deliveries, OutboxEnvelopes envelopes, AuditTrail audit, GatherSettings gather,
            PeerDeliveryLimits limits, Clock clock) {
        this.limits = limits;
        this.outbox = deliveries;
        this.envelopes = envelopes;
        this.audit = audit;
        this.gather = gather;
        this.clock = clock;
    }

    /** The component itself, for listing and processing. */
    public Outbox outbox() {
        return outbox;
    }

    /**
     * Queues a delivery of {@code sent} to {@code node} in the caller's transaction.
     *
     * @param maxAttempts null for the configured default
     * @param expiresAt   null for 72 hours from now
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public OutboxItem queue(FederatedNode node, List<JsonNode> sent, String queuedBy, Integer maxAttempts,
            Instant expiresAt) {
        return queue(LoomIds.next(IdPrefix.FEDERATION_OUTBOX), node, sent, queuedBy, maxAttempts, expiresAt);
    }

    /**
     * Queues an envelope federated automatically, in the caller's transaction: it joins the item still gathering
     * envelopes for {@code node} if there is one with room ({@link GatherSettings}), or starts a new item that waits
     * the gathering window before its first attempt. Every sender of a gathered item is listed in its
     * {@code senders} field (and may list and process it); {@code queued_by} names the first.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void queueGathered(FederatedNode node, JsonNode envelope, String sender) {
        if (!gather.enabled()) {
            queue(node, List.of(envelope), sender, null, null);
            return;
        }
        int most = Math.min(gather.maxEnvelopes(), limits.of(node.nodeId()).orElse(Integer.MAX_VALUE));
        var open = outbox.lockGathering(node.nodeId())
                .filter(item -> item.fields().path("envelope_ids").size() < most);
        if (open.isPresent()) {
            OutboxItem item = open.get();
            ObjectNode fields = item.fields().deepCopy();
            ArrayNode ids = (ArrayNode) fields.get("envelope_ids");
            envelopes.append(item.id(), ids.size(), envelope);
            ids.add(envelope.path("id").asString(""));
            ArrayNode senders = fields.withArray("senders");
            if (senders.valueStream().noneMatch(known -> known.asString("").equals(sender))) {
                senders.add(sender);
            }
            outbox.amend(item.id(), fields);
            return;
        }
        queue(LoomIds.next(IdPrefix.FEDERATION_OUTBOX), node, List.of(envelope), sender, null, null,
                clock.instant().plus(gather.window()));
    }

    /**
     * As {@link #queue(FederatedNode, List, String, Integer, Instant)}, under an id the caller chose (a keyed
     * request's: a second item with that id fails on the primary key and rolls the transaction back).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public OutboxItem queue(String id, FederatedNode node, List<JsonNode> sent, String queuedBy, Integer maxAttempts,
            Instant expiresAt) {
        return queue(id, node, sent, queuedBy, maxAttempts, expiresAt, null);
    }

    private OutboxItem queue(String id, FederatedNode node, List<JsonNode> sent, String queuedBy, Integer maxAttempts,
            Instant expiresAt, Instant gatheringUntil) {
        ObjectNode fields = LoomJson.mapper().createObjectNode();
        fields.put("recipient_node", node.nodeId());
        fields.put("deliver_url", deliverUrl(node));
        fields.put("delivery_id", LoomIds.next(IdPrefix.FEDERATION_DELIVERY));
        ArrayNode ids = fields.putArray("envelope_ids");
        sent.forEach(envelope -> ids.add(envelope.path("id").asString("")));
        fields.put("queued_by", queuedBy);
        envelopes.store(id, sent);
        if (gatheringUntil != null) {
            fields.putArray("senders").add(queuedBy);
        }
        OutboxItem item = outbox.enqueue(new NewOutboxItem(id, node.nodeId(), fields, maxAttempts,
                expiresAt == null ? clock.instant().plus(DEFAULT_TTL) : expiresAt, gatheringUntil));
        audit.record("federation.outbox.queue", AuditTrail.payload().put("outbox_id", id)
                .put("recipient_node", node.nodeId()).put("envelope_count", sent.size()).put("actor", queuedBy));
        return item;
    }

    static String deliverUrl(FederatedNode node) {
        return node.deliverUrl() != null ? node.deliverUrl() : "https://" + node.nodeId() + "/v1/federation/deliver";
    }
}
