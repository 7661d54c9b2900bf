package org.loom.service.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An event waiting in the transactional outbox. It is written in the same transaction as the state change it
 * describes, so the event exists if and only if the change committed; a relay publishes it to {@code topic} with
 * {@code recordKey} as the Kafka key, in id order, and then sets {@code publishedAt}.
 *
 * <p>A record normally goes to the partition its key hashes to. {@code recordPartition} overrides that for replies:
 * the waiting requester reads one partition of the results topic and says which in its command.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "message_id", nullable = false, unique = true, length = 64)
    private String messageId;

    @Column(name = "topic", nullable = false, length = 200)
    private String topic;

    @Column(name = "record_key", nullable = false, length = 200)
    private String recordKey;

    @Column(name = "message_type", nullable = false, length = 100)
    private String messageType;

    /** The record value exactly as it will be published: JSON text. */
    @Column(name = "payload", nullable = false, columnDefinition = "TEXT")
    private String payload;

    /** The target partition, or null to let the key choose it. */
    @Column(name = "record_partition")
    private Integer recordPartition;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "published_at")
    private Instant publishedAt;

    protected OutboxEvent() {
        // for JPA
    }

    public OutboxEvent(String messageId, String topic, String recordKey, String messageType, String payload,
            Instant createdAt) {
        this(messageId, topic, recordKey, null, messageType, payload, createdAt);
    }

    /** An event bound for one partition of its topic ({@code recordPartition} null: the key's partition). */
    public OutboxEvent(String messageId, String topic, String recordKey, Integer recordPartition, String messageType,
            String payload, Instant createdAt) {
        if (recordPartition != null && recordPartition < 0) {
            throw new IllegalArgumentException("a partition number cannot be negative: " + recordPartition);
        }
        this.recordPartition = recordPartition;
        this.messageId = Objects.requireNonNull(messageId, "messageId");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.recordKey = Objects.requireNonNull(recordKey, "recordKey");
        this.messageType = Objects.requireNonNull(messageType, "messageType");
        this.payload = Objects.requireNonNull(payload, "payload");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    public Long id() {
        return id;
    }

    public String messageId() {
        return messageId;
    }

    public String topic() {
        return topic;
    }

    public String recordKey() {
        return recordKey;
    }

    /** The partition the record must go to; empty when the key decides. */
    public Optional<Integer> recordPartition() {
        return Optional.ofNullable(recordPartition);
    }

    public String messageType() {
        return messageType;
    }

    public String payload() {
        return payload;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** When the relay published the event; null while it waits. */
    public Instant publishedAt() {
        return publishedAt;
    }

    public boolean published() {
        return publishedAt != null;
    }
}
