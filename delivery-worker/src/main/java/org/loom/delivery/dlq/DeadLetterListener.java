package org.loom.delivery.dlq;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.DeadLetter;
import org.loom.service.messaging.ProcessedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;

/** Keeps {@link DeadLetterView} up to date from the federation and email dead-letter topics. */
@Component
class DeadLetterListener {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterListener.class);

    private final DeadLetterView view;
    private final ProcessedMessages processed;
    private final TransactionTemplate transactions;

    DeadLetterListener(DeadLetterView view, ProcessedMessages processed, TransactionTemplate transactions) {
        this.view = view;
        this.processed = processed;
        this.transactions = transactions;
    }

    @KafkaListener(id = "dead-letter-view", idIsGroup = false, topics = {
            "#{T(org.loom.protocol.kafka.Topics).FEDERATION_DEAD_LETTERS.name()}",
            "#{T(org.loom.protocol.kafka.Topics).EMAIL_DEAD_LETTERS.name()}"})
    void onDeadLetter(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return;
        }
        DeadLetter letter;
        try {
            letter = LoomJson.mapper().readValue(record.value(), DeadLetter.class);
        } catch (JacksonException | IllegalArgumentException e) {
            log.error("Skipping unreadable dead letter at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        transactions.executeWithoutResult(status -> {
            if (processed.firstDelivery(letter.messageId(), record.topic())) {
                view.put(letter);
            }
        });
    }
}
