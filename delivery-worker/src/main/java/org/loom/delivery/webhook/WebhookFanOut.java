package org.loom.delivery.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.outbox.NewOutboxItem;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.OutboxItem;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Turns one event into one outbox item per active webhook that subscribed to its type. */
@Component
class WebhookFanOut {

    private final WebhookStore webhooks;
    private final Outbox outbox;

    WebhookFanOut(WebhookStore webhooks, Outbox webhookOutbox) {
        this.webhooks = webhooks;
        this.outbox = webhookOutbox;
    }

    /** Whether any active webhook subscribed to one of these event types; when none did, nothing is to be queued. */
    boolean anyWants(List<String> eventTypes) {
        return webhooks.all().stream().anyMatch(webhook -> eventTypes.stream().anyMatch(webhook::wants));
    }

    /**
     * Queues the event for every webhook that wants it, in the caller's transaction.
     *
     * @param eventId   the event's id ({@code evt_} for audit events)
     * @param eventType the event type (an audit action, {@code envelope.accepted}, {@code thread.updated})
     * @param data      the event's details
     * @param at        when the event happened
     */
    @Transactional(propagation = Propagation.MANDATORY)
    List<OutboxItem> queue(String eventId, String eventType, JsonNode data, Instant at) {
        List<OutboxItem> queued = new ArrayList<>();
        for (Webhook webhook : webhooks.all()) {
            if (!webhook.wants(eventType)) {
                continue;
            }
            ObjectNode payload = LoomJson.mapper().createObjectNode();
            payload.put("action", eventType);
            payload.set("data", data.deepCopy());
            payload.putObject("audit").put("event_id", eventId).put("timestamp", Timestamps.format(at));
            ObjectNode fields = LoomJson.mapper().createObjectNode();
            fields.put("webhook_id", webhook.id());
            fields.put("event_id", eventId);
            fields.put("event_type", eventType);
            fields.set("payload", payload);
            fields.put("timeout_ms", webhook.timeoutMs());
            queued.add(outbox.enqueue(new NewOutboxItem(LoomIds.next(IdPrefix.WEBHOOK_OUTBOX),
                    WebhookDeliverer.destination(webhook.url()), fields, webhook.maxAttempts(), null)));
        }
        return queued;
    }
}
