package org.loom.service.messaging;

import java.time.Instant;

/** A Kafka message this service has processed, identified by its {@code loom-message-id}. */
public record ProcessedMessage(String messageId, String topic, Instant processedAt) {
}
