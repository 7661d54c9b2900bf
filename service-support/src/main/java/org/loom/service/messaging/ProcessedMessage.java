package org.loom.service.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A Kafka message this service has processed, identified by its {@code loom-message-id}. */
@Entity
@Table(name = "processed_message")
public class ProcessedMessage {

    @Id
    @Column(name = "message_id", length = 64)
    private String messageId;

    @Column(name = "topic", nullable = false, length = 200)
    private String topic;

    @Column(name = "processed_at", nullable = false)
    private Instant processedAt;

    protected ProcessedMessage() {
        // for JPA
    }

    public String messageId() {
        return messageId;
    }

    public String topic() {
        return topic;
    }

    public Instant processedAt() {
        return processedAt;
    }
}
