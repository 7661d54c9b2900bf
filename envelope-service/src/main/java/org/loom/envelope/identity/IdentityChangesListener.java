package org.loom.envelope.identity;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.IdentityChanged;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.Topics;
import org.loom.service.messaging.ProcessedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;

/**
 * Keeps {@link IdentityView} up to date from the compacted identity topic. A record is applied once: its message id
 * is recorded in the same transaction as the change to the view.
 */
@Component
class IdentityChangesListener {

    private static final Logger log = LoggerFactory.getLogger(IdentityChangesListener.class);

    private final IdentityView view;
    private final ProcessedMessages processed;
    private final TransactionTemplate transactions;

    IdentityChangesListener(IdentityView view, ProcessedMessages processed, TransactionTemplate transactions) {
        this.view = view;
        this.processed = processed;
        this.transactions = transactions;
    }

    @KafkaListener(id = "identity-changes", idIsGroup = false,
            topics = "#{T(org.loom.protocol.kafka.Topics).IDENTITY_CHANGES.name()}")
    void onIdentityChanged(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(LoomHeaders.MESSAGE_TYPE);
        if (type != null && !MessageType.IDENTITY_CHANGED.wireName()
                .equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return;
        }
        if (record.value() == null) {
            // A tombstone: compaction's way of forgetting a key. Deletions arrive as records with deleted=true.
            return;
        }
        IdentityChanged change;
        try {
            change = LoomJson.mapper().readValue(record.value(), IdentityChanged.class);
        } catch (JacksonException | IllegalArgumentException e) {
            log.error("Skipping unreadable identity change at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        transactions.executeWithoutResult(status -> {
            if (processed.firstDelivery(change.messageId(), Topics.IDENTITY_CHANGES.name())) {
                view.apply(change);
            }
        });
    }
}
