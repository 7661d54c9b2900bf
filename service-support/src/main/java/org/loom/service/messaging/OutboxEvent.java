package org.loom.service.messaging;

import java.time.Instant;
import java.util.Objects;

/**
 * An event waiting in the transactional outbox. It is written in the same transaction as the state change it
 * describes, so the event exists if and only if the change committed; a relay publishes it to {@code topic} with
 * {@code recordKey} as the Kafka key, in id order, and then sets {@code publishedAt}.
 *
 * <p>A record normally goes to the partition its key hashes to. {@code recordPartition} overrides that for replies:
 * the waiting requester reads one partition of the results topic and says which in its command.
 *
 * @param id the row's id, which orders publication; null until the row is written
 * @param recordPartition the partition the record must reach, or null to let the key choose it
 * @param payload the record value exactly as it will be published: JSON text
 * @param publishedAt when the relay published the event; null while it waits
 */
public record OutboxEvent(Long id, String messageId, String topic, String recordKey, Integer recordPartition,
        String messageType, String payload, Instant createdAt, Instant publishedAt) {

    public OutboxEvent {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(recordKey, "recordKey");
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
        if (recordPartition != null && recordPartition < 0) {
            throw new IllegalArgumentException("a partition number cannot be negative: " + recordPartition);
        }
    }

    /** A new, unwritten event bound for one partition of its topic ({@code recordPartition} null: the key's). */
    public static OutboxEvent waiting(String messageId, String topic, String recordKey, Integer recordPartition,
            String messageType, String payload, Instant createdAt) {
        return new OutboxEvent(null, messageId, topic, recordKey, recordPartition, messageType, payload, createdAt,
                null);
    }

    /** The same event as written under {@code id}. */
    OutboxEvent withId(long id) {
        return new OutboxEvent(id, messageId, topic, recordKey, recordPartition, messageType, payload, createdAt,
                publishedAt);
    }

    public boolean published() {
        return publishedAt != null;
    }
}
