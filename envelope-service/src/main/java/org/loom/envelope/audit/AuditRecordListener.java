package org.loom.envelope.audit;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuditRecord;
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
 * Appends the audit records every service publishes to the chain, in topic order (the topic has one partition). A
 * record is appended once: its message id is recorded in the transaction that appends it.
 */
@Component
class AuditRecordListener {

    private static final Logger log = LoggerFactory.getLogger(AuditRecordListener.class);

    private final AuditChain chain;
    private final ProcessedMessages processed;
    private final TransactionTemplate transactions;

    AuditRecordListener(AuditChain chain, ProcessedMessages processed, TransactionTemplate transactions) {
        this.chain = chain;
        this.processed = processed;
        this.transactions = transactions;
    }

    @KafkaListener(id = "audit-records", idIsGroup = false,
            topics = "#{T(org.loom.protocol.kafka.Topics).AUDIT_RECORDS.name()}")
    void onAuditRecord(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(LoomHeaders.MESSAGE_TYPE);
        if (type != null && !MessageType.AUDIT_RECORD.wireName()
                .equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return;
        }
        if (record.value() == null) {
            return;
        }
        AuditRecord audit;
        try {
            audit = LoomJson.mapper().readValue(record.value(), AuditRecord.class);
        } catch (JacksonException | IllegalArgumentException e) {
            log.error("Skipping unreadable audit record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        transactions.executeWithoutResult(status -> {
            if (processed.firstDelivery(audit.messageId(), Topics.AUDIT_RECORDS.name())) {
                chain.append(audit);
            }
        });
    }
}
