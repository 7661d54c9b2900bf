package org.loom.service.outbox;

import java.time.Instant;
import java.util.Objects;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.node.ObjectNode;

/**
 * One outbox item as stored.
 *
 * @param id             the item id, stable across attempts (destinations de-duplicate by it)
 * @param kind           the outbox kind ({@code webhook}, {@code federation}, {@code email})
 * @param destination    where it goes
 * @param fields         the kind's own fields
 * @param status         queued, delivered or failed
 * @param attempts       attempts made since it was queued or last requeued
 * @param maxAttempts    attempts allowed before it becomes a dead letter
 * @param nextAttemptAt  when it is due; null once delivered or failed
 * @param expiresAt      its time to live; null for none
 * @param lastError      why the last attempt failed; null after a success or a requeue
 * @param lastHttpStatus the HTTP status of the last attempt, if it had one
 * @param result         what the destination answered on success (kind-specific), or null
 * @param createdAt      when it was queued
 * @param updatedAt      when its state last changed
 * @param deliveredAt    when it was delivered, or null
 */
public record OutboxItem(
        String id,
        String kind,
        String destination,
        ObjectNode fields,
        OutboxStatus status,
        int attempts,
        int maxAttempts,
        Instant nextAttemptAt,
        Instant expiresAt,
        String lastError,
        Integer lastHttpStatus,
        ObjectNode result,
        Instant createdAt,
        Instant updatedAt,
        Instant deliveredAt) {

    public OutboxItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(destination, "destination");
        fields = Objects.requireNonNull(fields, "fields").deepCopy();
        Objects.requireNonNull(status, "status");
        result = result == null ? null : result.deepCopy();
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A text field of the kind's own fields, or null. */
    public String field(String name) {
        var value = fields.get(name);
        return value == null || value.isNull() ? null : value.asString();
    }

    /**
     * The item as the API lists it: the id, the kind's fields, then the delivery state with the reference node's field
     * names; the destination's answer on success comes last as {@code result}.
     */
    public ObjectNode view() {
        ObjectNode view = LoomJson.mapper().createObjectNode();
        view.put("id", id);
        view.setAll(fields.deepCopy());
        view.put("status", status.wireName());
        view.put("attempts", attempts);
        view.put("max_attempts", maxAttempts);
        putTime(view, "next_attempt_at", nextAttemptAt);
        view.put("created_at", Timestamps.format(createdAt));
        view.put("updated_at", Timestamps.format(updatedAt));
        putTime(view, "expires_at", expiresAt);
        putTime(view, "delivered_at", deliveredAt);
        view.put("last_error", lastError);
        if (lastHttpStatus == null) {
            view.putNull("last_http_status");
        } else {
            view.put("last_http_status", lastHttpStatus.intValue());
        }
        if (result != null) {
            view.set("result", result.deepCopy());
        }
        return view;
    }

    private static void putTime(ObjectNode view, String name, Instant value) {
        if (value == null) {
            view.putNull(name);
        } else {
            view.put(name, Timestamps.format(value));
        }
    }
}
