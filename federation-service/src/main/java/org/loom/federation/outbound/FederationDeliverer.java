package org.loom.federation.outbound;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.loom.federation.config.FederationSettings;
import org.loom.federation.config.LocalNode;
import org.loom.federation.config.NodeKey;
import org.loom.federation.node.FederatedNode;
import org.loom.federation.node.NodeRegistry;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.federation.DeliveryReceipt;
import org.loom.protocol.federation.HttpSignature;
import org.loom.protocol.federation.NodeKeyDirectory;
import org.loom.protocol.federation.ReceiptVerification;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.audit.AuditTrail;
import org.loom.service.outbox.AttemptOutcome;
import org.loom.service.outbox.OutboxHandler;
import org.loom.service.outbox.OutboxItem;
import org.loom.service.outbox.OutboxStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes one federation delivery attempt: the item's envelopes in a {@code {loom, sender_node, delivery_id, timestamp,
 * envelopes}} wrapper, signed with LOOM-HTTP-SIG-1 over the exact bytes sent, posted to the recipient node's deliver
 * URL. A 2xx answer is a delivery; its receipt is checked against the recipient's registered keys and the result
 * recorded with the item. With {@code LOOM_FEDERATION_REQUIRE_SIGNED_RECEIPTS} an invalid receipt is a failed attempt.
 * An item with more envelopes than the peer takes per delivery (it answers 413 naming its limit) is sent in parts
 * ({@link PeerDeliveryLimits}).
 * A delivered or dead-lettered item gets its receipt envelopes in its senders' threads ({@link SenderReceipts}).
 */
@Component
public class FederationDeliverer implements OutboxHandler {

    private static final int MAX_ERROR_BODY = 500;
    private static final Logger log = LoggerFactory.getLogger(FederationDeliverer.class);

    private final NodeRegistry registry;
    private final OutboxEnvelopes envelopes;
    private final OutboundFetcher targets;
    private final FederationSettings settings;
    private final LocalNode local;
    private final NodeKey nodeKey;
    private final AuditTrail audit;
    private final SenderReceipts receipts;
    private final PeerDeliveryLimits limits;
    private final Clock clock;
    private final HttpClient client;

    FederationDeliverer(NodeRegistry registry, OutboxEnvelopes envelopes, OutboundFetcher targets,
            FederationSettings settings, LocalNode local, NodeKey nodeKey, AuditTrail audit, SenderReceipts receipts,
            PeerDeliveryLimits limits, Clock clock) {
        this.limits = limits;
        this.registry = registry;
        this.envelopes = envelopes;
        this.targets = targets;
        this.settings = settings;
        this.local = local;
        this.nodeKey = nodeKey;
        this.audit = audit;
        this.receipts = receipts;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(settings.fetchTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public AttemptOutcome attempt(OutboxItem item, Duration timeout) throws IOException, InterruptedException {
        String nodeId = item.field("recipient_node");
        Optional<FederatedNode> node = registry.find(nodeId);
        if (node.isEmpty()) {
            return AttemptOutcome.retry("Unknown recipient node: " + nodeId);
        }
        List<JsonNode> sent = envelopes.load(item.id());
        if (sent.isEmpty()) {
            return AttemptOutcome.permanent("The item holds no envelopes");
        }
        String deliverUrl = FederationOutbox.deliverUrl(node.get());
        URI target;
        try {
            // The URL was registered by an authenticated caller; the address rules still apply.
            target = targets.checkTarget(deliverUrl, true);
        } catch (LoomException e) {
            return AttemptOutcome.retry(e.getMessage());
        }
        String deliveryId = item.field("delivery_id");
        int known = limits.of(nodeId).orElse(Integer.MAX_VALUE);
        List<Sent> parts;
        if (sent.size() <= known) {
            Sent whole = send(target, sent, deliveryId, timeout);
            parts = List.of(whole);
            int most = whole.status() == 413 ? peerLimit(whole.answer()).orElse(1) : sent.size();
            if (most < sent.size()) {
                // A gathered item larger than the peer takes per delivery: remember its limit, and send the item in
                // parts of that size, each a delivery of its own.
                log.info("{} takes at most {} envelopes per delivery; sending outbox item {} ({} envelopes) in parts",
                        nodeId, most, item.id(), sent.size());
                limits.learned(nodeId, most);
                parts = sendInParts(target, sent, most, deliveryId, timeout);
            }
        } else {
            parts = sendInParts(target, sent, known, deliveryId, timeout);
        }
        Sent failed = parts.stream().filter(part -> !part.delivered()).findFirst().orElse(null);
        if (failed != null) {
            return new AttemptOutcome.Retry("Remote response " + failed.status() + ": " + failed.errorText(),
                    failed.status());
        }
        List<ReceiptVerification> verifications = parts.stream()
                .map(part -> DeliveryReceipt.verify(part.answer().get("receipt"), nodeId, local.nodeId(),
                        part.deliveryId(), directory()))
                .toList();
        ReceiptVerification verification = verifications.stream().filter(v -> !v.isVerified()).findFirst()
                .orElse(verifications.get(0));
        if (settings.requireSignedReceipts() && !verification.isVerified()) {
            return new AttemptOutcome.Retry("Signed receipt verification failed: " + verification.reason().orElse(""),
                    parts.get(parts.size() - 1).status());
        }
        ObjectNode result = LoomJson.mapper().createObjectNode();
        JsonNode firstReceipt = parts.get(0).answer().get("receipt");
        result.set("receipt", firstReceipt == null ? null : firstReceipt.deepCopy());
        result.put("receipt_verified", verification.isVerified());
        result.put("receipt_verified_at", verification.isVerified() ? Timestamps.now(clock) : null);
        result.put("receipt_verification_error", verification.reason().orElse(null));
        if (parts.size() > 1) {
            ArrayNode receipts = result.putArray("part_receipts");
            parts.forEach(part -> receipts.add(part.answer().get("receipt") == null ? null
                    : part.answer().get("receipt").deepCopy()));
        }
        ArrayNode accepted = LoomJson.mapper().createArrayNode();
        ArrayNode rejected = LoomJson.mapper().createArrayNode();
        boolean anyAccepted = false;
        boolean anyRejected = false;
        for (Sent part : parts) {
            if (part.answer().get("accepted_envelope_ids") != null) {
                anyAccepted = true;
                part.answer().get("accepted_envelope_ids").forEach(id -> accepted.add(id.deepCopy()));
            }
            if (part.answer().get("rejected") != null) {
                anyRejected = true;
                part.answer().get("rejected").forEach(entry -> rejected.add(entry.deepCopy()));
            }
        }
        if (anyAccepted) {
            result.set("accepted_envelope_ids", accepted);
        }
        if (anyRejected) {
            result.set("rejected", rejected);
        }
        return new AttemptOutcome.Delivered(parts.get(parts.size() - 1).status(), result);
    }

    /**
     * Sends the envelopes in deliveries of at most {@code most}, stopping at the first that fails. Envelopes the peer
     * holds already are acknowledged, not refused, so parts sent again by a later attempt do no harm.
     */
    private List<Sent> sendInParts(URI target, List<JsonNode> envelopes, int most, String deliveryId,
            Duration timeout) throws IOException, InterruptedException {
        List<Sent> parts = new ArrayList<>();
        for (int from = 0; from < envelopes.size(); from += most) {
            Sent part = send(target, envelopes.subList(from, Math.min(envelopes.size(), from + most)),
                    from == 0 ? deliveryId : LoomIds.next(IdPrefix.FEDERATION_DELIVERY), timeout);
            parts.add(part);
            if (!part.delivered()) {
                break;
            }
        }
        return parts;
    }

    /** One signed request and what came of it. */
    private record Sent(String deliveryId, int status, JsonNode answer, String body) {

        boolean delivered() {
            return status >= 200 && status <= 299;
        }

        String errorText() {
            String text = body == null ? "" : body;
            return text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) : text;
        }
    }

    /** Posts {@code envelopes} in a signed {@code {loom, sender_node, delivery_id, timestamp, envelopes}} wrapper. */
    private Sent send(URI target, List<JsonNode> envelopes, String deliveryId, Duration timeout)
            throws IOException, InterruptedException {
        ObjectNode wrapper = LoomJson.mapper().createObjectNode();
        wrapper.put("loom", "1.1");
        wrapper.put("sender_node", local.nodeId());
        wrapper.put("delivery_id", deliveryId);
        wrapper.put("timestamp", Timestamps.now(clock));
        ArrayNode list = wrapper.putArray("envelopes");
        envelopes.forEach(list::add);
        byte[] body = LoomJson.writeBytes(wrapper);
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpSignature.sign("POST", path, body, local.nodeId(), nodeKey.keyId(), nodeKey.key(), clock,
                LoomIds.next(IdPrefix.NONCE)).asMap().forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer;
        try {
            answer = LoomJson.parse(response.body());
        } catch (LoomException e) {
            answer = LoomJson.mapper().createObjectNode();
        }
        return new Sent(deliveryId, response.statusCode(), answer, response.body());
    }

    /** The most envelopes per delivery a {@code 413} answer names ({@code error.details.max_envelopes}), if any. */
    private static Optional<Integer> peerLimit(JsonNode answer) {
        JsonNode max = answer.at("/error/details/max_envelopes");
        return max.canConvertToInt() && max.asInt() >= 1 ? Optional.of(max.asInt()) : Optional.empty();
    }

    @Override
    public void recorded(OutboxItem item, AttemptOutcome outcome) {
        String action = item.status() == OutboxStatus.DELIVERED ? "federation.outbox.process.delivered"
                : "federation.outbox.process.failed";
        ObjectNode payload = AuditTrail.payload().put("outbox_id", item.id())
                .put("recipient_node", item.field("recipient_node")).put("status", item.status().wireName())
                .put("attempts", item.attempts()).put("last_error", item.lastError());
        audit.record(action, payload);
        receipts.outcomeRecorded(item);
    }

    @Override
    public void requeued(OutboxItem item, String actor) {
        // The delivery-worker's dead-letter view drops its copy of the item when it reads this record.
        audit.record("federation.outbox.requeue", AuditTrail.payload().put("outbox_id", item.id())
                .put("recipient_node", item.field("recipient_node")).put("actor", actor));
    }

    private NodeKeyDirectory directory() {
        return new NodeKeyDirectory() {
            @Override
            public boolean isKnownNode(String nodeId) {
                return registry.find(nodeId).isPresent();
            }

            @Override
            public Optional<VerifyingKey> signingKey(String nodeId, String keyId) {
                return registry.find(nodeId).flatMap(node -> node.verifyingKey(keyId));
            }
        };
    }
}
