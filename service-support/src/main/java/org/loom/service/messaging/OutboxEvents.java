package org.loom.service.messaging;

import java.time.Clock;
import java.util.Objects;

import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.LoomMessage;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.Topic;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes an event to the transactional outbox. Call it inside the transaction that makes the change the event
 * describes: the event then exists exactly when the change committed, and the relay publishes it afterwards.
 */
@Component
public class OutboxEvents {

    private final OutboxEventRepository repository;
    private final Clock clock;

    public OutboxEvents(OutboxEventRepository repository) {
        this.repository = repository;
        this.clock = Clock.systemUTC();
    }

    /**
     * Queues {@code message} for {@code topic} under {@code key} (the aggregate the topic is keyed by, e.g. the thread
     * id). Its message id becomes the record's de-duplication header.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public OutboxEvent append(Topic topic, String key, LoomMessage message) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        String payload = LoomJson.mapper().writeValueAsString(message);
        OutboxEvent event = new OutboxEvent(message.messageId(), topic.name(), key,
                MessageType.of(message).wireName(), payload, clock.instant());
        return repository.save(event);
    }
}
