package org.loom.federation.outbound;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
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
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes one federation delivery attempt: the item's envelopes in a {@code {loom, sender_node, delivery_id, timestamp,
 * envelopes}} wrapper, signed with LOOM-HTTP-SIG-1 over the exact bytes sent, posted to the recipient node's deliver
 * URL. A 2xx answer is a delivery; its receipt is checked against the recipient's registered keys and the result
 * recorded with the item. With {@code LOOM_FEDERATION_REQUIRE_SIGNED_RECEIPTS} an invalid receipt is a failed attempt.
 * A delivered or dead-lettered item gets its receipt envelopes in its senders' threads ({@link SenderReceipts}).
 */
@Component
public class FederationDeliverer implements OutboxHandler {

    private static final int MAX_ERROR_BODY = 500;

    private final NodeRegistry registry;
    private final OutboxEnvelopes envelopes;
    private final OutboundFetcher targets;
    private final FederationSettings settings;
    private final LocalNode local;
    private final NodeKey nodeKey;
    private final AuditTrail audit;
    private final SenderReceipts receipts;
    private final Clock clock;
    private final HttpClient client;

    FederationDeliverer(NodeRegistry registry, OutboxEnvelopes envelopes, OutboundFetcher targets,
            FederationSettings settings, LocalNode local, NodeKey nodeKey, AuditTrail audit, SenderReceipts receipts,
            Clock clock) {
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
        ObjectNode wrapper = LoomJson.mapper().createObjectNode();
        wrapper.put("loom", "1.1");
        wrapper.put("sender_node", local.nodeId());
        wrapper.put("delivery_id", deliveryId);
        wrapper.put("timestamp", Timestamps.now(clock));
        ArrayNode list = wrapper.putArray("envelopes");
        sent.forEach(list::add);
        byte[] body = LoomJson.writeBytes(wrapper);
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpSignature.sign("POST", path, body, local.nodeId(), nodeKey.keyId(), nodeKey.key(), clock,
                LoomIds.next(IdPrefix.NONCE)).asMap().forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String text = response.body() == null ? "" : response.body();
            return new AttemptOutcome.Retry("Remote response " + status + ": "
                    + (text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) : text), status);
        }
        JsonNode answer;
        try {
            answer = LoomJson.parse(response.body());
        } catch (LoomException e) {
            answer = LoomJson.mapper().createObjectNode();
        }
        ReceiptVerification verification = DeliveryReceipt.verify(answer.get("receipt"), nodeId, local.nodeId(),
                deliveryId, directory());
        if (settings.requireSignedReceipts() && !verification.isVerified()) {
            return new AttemptOutcome.Retry("Signed receipt verification failed: " + verification.reason().orElse(""),
                    status);
        }
        ObjectNode result = LoomJson.mapper().createObjectNode();
        result.set("receipt", answer.get("receipt") == null ? null : answer.get("receipt").deepCopy());
        result.put("receipt_verified", verification.isVerified());
        result.put("receipt_verified_at", verification.isVerified() ? Timestamps.now(clock) : null);
        result.put("receipt_verification_error", verification.reason().orElse(null));
        if (answer.get("accepted_envelope_ids") != null) {
            result.set("accepted_envelope_ids", answer.get("accepted_envelope_ids").deepCopy());
        }
        if (answer.get("rejected") != null) {
            result.set("rejected", answer.get("rejected").deepCopy());
        }
        return new AttemptOutcome.Delivered(status, result);
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
