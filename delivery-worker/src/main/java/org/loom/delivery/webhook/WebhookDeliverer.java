package org.loom.delivery.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.loom.delivery.node.NodeKey;
import org.loom.delivery.outbound.OutboundAddressPolicy;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.protocol.webhook.WebhookEvent;
import org.loom.protocol.webhook.WebhookHeaders;
import org.loom.protocol.webhook.WebhookSignature;
import org.loom.service.audit.AuditTrail;
import org.loom.service.outbox.AttemptOutcome;
import org.loom.service.outbox.OutboxHandler;
import org.loom.service.outbox.OutboxItem;
import org.loom.service.outbox.OutboxStatus;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delivers one webhook outbox item: a signed JSON POST to the webhook's URL, as the reference node sends it. The body
 * carries the delivery id (the outbox item id, the same on every attempt) so receivers can drop repeats.
 */
class WebhookDeliverer implements OutboxHandler {

    static final String NOT_ACTIVE = "Webhook target not active";
    private static final int MAX_ERROR_TEXT = 500;

    private final WebhookStore webhooks;
    private final NodeKey nodeKey;
    private final OutboundAddressPolicy outbound;
    private final AuditTrail audit;
    private final Clock clock;
    private final HttpClient client;

    WebhookDeliverer(WebhookStore webhooks, NodeKey nodeKey, OutboundAddressPolicy outbound, AuditTrail audit,
            Clock clock) {
        this.webhooks = webhooks;
        this.nodeKey = nodeKey;
        this.outbound = outbound;
        this.audit = audit;
        this.clock = clock;
        // Redirects are not followed: a redirect could lead to an address the outbound policy refuses.
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public AttemptOutcome attempt(OutboxItem item, Duration timeout) throws IOException, InterruptedException {
        Optional<Webhook> found = webhooks.find(item.field("webhook_id"));
        if (found.isEmpty() || !found.get().active()) {
            return new AttemptOutcome.Retry(NOT_ACTIVE, null);
        }
        Webhook webhook = found.get();
        Optional<String> refused = outbound.refusal(webhook.url());
        if (refused.isPresent()) {
            return new AttemptOutcome.Permanent(refused.get(), null);
        }
        byte[] body = body(item);
        WebhookHeaders headers = WebhookSignature.sign(webhook.url(), body,
                new WebhookEvent(item.field("event_id"), item.id(), item.field("event_type")), nodeKey.keyId(),
                nodeKey.key(), clock, LoomIds.next(IdPrefix.WEBHOOK));
        Duration limit = Duration.ofMillis(Math.min(webhook.timeoutMs(), timeout.toMillis()));
        HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url()).timeout(limit)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.asMap().forEach(request::header);
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 == 2) {
            return new AttemptOutcome.Delivered(response.statusCode(), null);
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (text.length() > MAX_ERROR_TEXT) {
            text = text.substring(0, MAX_ERROR_TEXT);
        }
        return new AttemptOutcome.Retry("Webhook response " + response.statusCode() + ": " + text,
                response.statusCode());
    }

    /** The delivery body, in the reference node's key order. */
    private byte[] body(OutboxItem item) {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("loom", "1.1");
        body.put("delivery_id", item.id());
        body.put("event_id", item.field("event_id"));
        body.put("event_type", item.field("event_type"));
        body.put("timestamp", Timestamps.now(clock));
        body.put("node_id", nodeKey.nodeId());
        body.set("payload", item.fields().get("payload"));
        return LoomJson.writeBytes(body);
    }

    @Override
    public void recorded(OutboxItem item, AttemptOutcome outcome) {
        String webhookId = item.field("webhook_id");
        ObjectNode payload = AuditTrail.payload();
        payload.put("outbox_id", item.id());
        payload.put("webhook_id", webhookId);
        payload.put("event_id", item.field("event_id"));
        if (item.status() == OutboxStatus.DELIVERED) {
            payload.put("event_type", item.field("event_type"));
            payload.put("attempts", item.attempts());
            payload.putNull("actor");
            audit.record("webhook.outbox.process.delivered", payload);
            webhooks.recordDelivery(webhookId, item.updatedAt());
        } else {
            payload.put("reason", item.lastError());
            payload.putNull("actor");
            audit.record("webhook.outbox.process.failed", payload);
            webhooks.recordFailure(webhookId, item.lastError());
        }
    }

    @Override
    public void requeued(OutboxItem item, String actor) {
        ObjectNode payload = AuditTrail.payload();
        payload.put("outbox_id", item.id());
        payload.put("webhook_id", item.field("webhook_id"));
        payload.put("event_id", item.field("event_id"));
        payload.put("actor", actor);
        audit.record("webhook.outbox.requeue", payload);
    }

    /** The URL an item goes to, for the item's destination column. */
    static String destination(URI url) {
        return url.toString();
    }
}
