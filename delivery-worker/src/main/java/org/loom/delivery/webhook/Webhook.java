package org.loom.delivery.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.node.ObjectNode;

/**
 * A webhook subscription: where to POST which events.
 *
 * @param events the event types it wants; {@code *} for all
 */
public record Webhook(String id, URI url, List<String> events, boolean active, int maxAttempts, int timeoutMs,
        Instant createdAt, Instant updatedAt, Instant lastDeliveryAt, String lastError) {

    public static final String ALL_EVENTS = "*";

    public Webhook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        events = List.copyOf(events);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Whether an event of this type goes to this webhook. */
    public boolean wants(String eventType) {
        return active && (events.contains(ALL_EVENTS) || events.contains(eventType));
    }

    /** The webhook as the API shows it, with the reference node's field names and order. */
    public ObjectNode view() {
        ObjectNode view = LoomJson.mapper().createObjectNode();
        view.put("id", id);
        view.put("url", url.toString());
        events.forEach(view.putArray("events")::add);
        view.put("active", active);
        view.put("max_attempts", maxAttempts);
        view.put("timeout_ms", timeoutMs);
        view.put("created_at", Timestamps.format(createdAt));
        view.put("updated_at", Timestamps.format(updatedAt));
        if (lastDeliveryAt == null) {
            view.putNull("last_delivery_at");
        } else {
            view.put("last_delivery_at", Timestamps.format(lastDeliveryAt));
        }
        view.put("last_error", lastError);
        return view;
    }
}
