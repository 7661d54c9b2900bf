package org.loom.service.outbox;

import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * An item to queue.
 *
 * @param id          the item id, with its kind's prefix ({@code wout_}, {@code fout_}, {@code eout_}); it is also the
 *                    delivery id destinations de-duplicate by
 * @param destination where the item goes, in words an operator recognises (a URL, a node id, an address); shown in
 *                    listings and dead letters
 * @param fields      the kind's own fields (e.g. {@code webhook_id}, {@code event_id}); listed between the id and the
 *                    delivery state
 * @param maxAttempts attempts before the item becomes a dead letter; null for the outbox's default
 * @param expiresAt   when the item stops being retried (its time to live); null for none
 * @param dueAt       when the first attempt is due; null for at once. An item not due yet may still be added to by
 *                    its kind (see {@link Outbox#lockGathering})
 */
public record NewOutboxItem(String id, String destination, ObjectNode fields, Integer maxAttempts,
        Instant expiresAt, Instant dueAt) {

    /** An item due at once. */
    public NewOutboxItem(String id, String destination, ObjectNode fields, Integer maxAttempts, Instant expiresAt) {
        this(id, destination, fields, maxAttempts, expiresAt, null);
    }

    public NewOutboxItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(destination, "destination");
        fields = Objects.requireNonNull(fields, "fields").deepCopy();
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }
}
