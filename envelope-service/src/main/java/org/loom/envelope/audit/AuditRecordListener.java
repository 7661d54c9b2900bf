package org.loom.envelope.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;

/**
 * Appends the audit records every service publishes to the chain, in topic order (the topic has one partition). A
 * record is appended once: its message id is recorded in the transaction that appends it.
 *
 * <p>The records of a poll are appended in one transaction, one commit for all of them. When that fails, they are
 * appended again one transaction each, so that the record that fails is the one the container's error handler retries
 * (the offsets before it are committed) while the others are not held back by it.
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

    @KafkaListener(id = "audit-records", idIsGroup = false, batch = "true",
            topics = "#{T(org.loom.protocol.kafka.Topics).AUDIT_RECORDS.name()}")
    void onAuditRecords(List<ConsumerRecord<String, String>> records) {
        List<ConsumerRecord<String, String>> appendable = new ArrayList<>(records.size());
        List<AuditRecord> audits = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            read(record).ifPresent(audit -> {
                appendable.add(record);
                audits.add(audit);
            });
        }
        if (audits.isEmpty()) {
            return;
        }
        try {
            transactions.executeWithoutResult(status -> audits.forEach(this::appendOnce));
            return;
        } catch (RuntimeException failure) {
            log.debug("Appending {} audit records together failed; appending them one by one: {}", audits.size(),
                    failure.toString());
        }
        for (int i = 0; i < audits.size(); i++) {
            AuditRecord audit = audits.get(i);
            try {
                transactions.executeWithoutResult(status -> appendOnce(audit));
            } catch (RuntimeException failure) {
                throw new BatchListenerFailedException("Audit record not appended", failure, appendable.get(i));
            }
        }
    }

    private void appendOnce(AuditRecord audit) {
        if (processed.firstDelivery(audit.messageId(), Topics.AUDIT_RECORDS.name())) {
            chain.append(audit);
        }
    }

    /** The audit record a Kafka record holds; empty, after logging why, for one that holds none. */
    private static Optional<AuditRecord> read(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(LoomHeaders.MESSAGE_TYPE);
        if (type != null && !MessageType.AUDIT_RECORD.wireName()
                .equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        if (record.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LoomJson.mapper().readValue(record.value(), AuditRecord.class));
        } catch (JacksonException | IllegalArgumentException e) {
            log.error("Skipping unreadable audit record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return Optional.empty();
        }
    }
}
