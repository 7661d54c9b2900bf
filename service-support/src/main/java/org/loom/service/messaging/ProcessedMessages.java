package org.loom.service.messaging;

import java.util.Objects;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Lets a consumer apply each Kafka message once although Kafka may deliver it more than once (after a rebalance, a
 * restart, or a producer retry).
 *
 * <p>The consumer calls {@link #firstDelivery} inside the transaction that applies the message's effect. The record of
 * the message and the effect then commit or roll back together: a message whose processing failed is not recorded and
 * is applied when it comes again, and a message that was applied is skipped.
 */
@Component
public class ProcessedMessages {

    private final ProcessedMessageRepository repository;

    public ProcessedMessages(ProcessedMessageRepository repository) {
        this.repository = repository;
    }

    /**
     * Records the message as processed; true when this is its first delivery and the caller should apply it, false
     * when it was processed before and the caller should skip it. Must run inside the caller's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean firstDelivery(String messageId, String topic) {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(topic, "topic");
        return repository.insertIfAbsent(messageId, topic) == 1;
    }
}
