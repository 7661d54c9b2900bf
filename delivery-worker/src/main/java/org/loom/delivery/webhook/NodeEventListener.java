package org.loom.delivery.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.loom.delivery.dlq.DeadLetterView;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuditRecord;
import org.loom.protocol.kafka.EnvelopeAccepted;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.MessageType;
import org.loom.service.messaging.ProcessedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the node's envelope events and audit records and queues the webhook deliveries they call for. Each record is
 * applied once: its message id is recorded in the transaction that queues its deliveries.
 */
@Component
class NodeEventListener {

    private static final Logger log = LoggerFactory.getLogger(NodeEventListener.class);

    private final WebhookFanOut fanOut;
    private final DeadLetterView deadLetters;
    private final ProcessedMessages processed;
    private final TransactionTemplate transactions;

    NodeEventListener(WebhookFanOut fanOut, DeadLetterView deadLetters, ProcessedMessages processed,
            TransactionTemplate transactions) {
        this.fanOut = fanOut;
        this.deadLetters = deadLetters;
        this.processed = processed;
        this.transactions = transactions;
    }

    @KafkaListener(id = "webhook-node-events", idIsGroup = false, topics = {
            "#{T(org.loom.protocol.kafka.Topics).ENVELOPE_EVENTS.name()}",
            "#{T(org.loom.protocol.kafka.Topics).AUDIT_RECORDS.name()}"})
    void onRecord(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(LoomHeaders.MESSAGE_TYPE);
        if (header == null || record.value() == null) {
            return;
        }
        String type = new String(header.value(), StandardCharsets.UTF_8);
        try {
            if (MessageType.AUDIT_RECORD.wireName().equals(type)) {
                onAudit(record.topic(), LoomJson.mapper().readValue(record.value(), AuditRecord.class));
            } else if (MessageType.ENVELOPE_ACCEPTED.wireName().equals(type)) {
                onEnvelope(record.topic(), LoomJson.mapper().readValue(record.value(), EnvelopeAccepted.class));
            }
        } catch (JacksonException | IllegalArgumentException e) {
            log.error("Skipping unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    private void onAudit(String topic, AuditRecord audit) {
        boolean event = WebhookEventTypes.AUDIT_ACTIONS.contains(audit.action());
        boolean requeue = audit.action().endsWith(".outbox.requeue");
        if (!event && !requeue) {
            return;
        }
        transactions.executeWithoutResult(status -> {
            if (!processed.firstDelivery(audit.messageId(), topic)) {
                return;
            }
            if (requeue && audit.payload().hasNonNull("outbox_id")) {
                deadLetters.forget(audit.payload().get("outbox_id").asString(), audit.occurredAt());
            }
            if (event) {
                fanOut.queue(audit.messageId(), audit.action(), audit.payload(), audit.occurredAt());
            }
        });
    }

    private void onEnvelope(String topic, EnvelopeAccepted accepted) {
        var envelopeType = accepted.envelope().get("type");
        boolean threadOp = envelopeType != null && "thread_op".equals(envelopeType.asString());
        // Every accepted envelope passes here; without a subscriber there is nothing to queue or to de-duplicate.
        if (!fanOut.anyWants(threadOp
                ? List.of(WebhookEventTypes.ENVELOPE_ACCEPTED, WebhookEventTypes.THREAD_UPDATED)
                : List.of(WebhookEventTypes.ENVELOPE_ACCEPTED))) {
            return;
        }
        transactions.executeWithoutResult(status -> {
            if (!processed.firstDelivery(accepted.messageId(), topic)) {
                return;
            }
            ObjectNode data = LoomJson.mapper().createObjectNode();
            data.put("thread_id", accepted.threadId());
            data.put("envelope_id", accepted.envelopeId());
            data.put("event_seq", accepted.eventSeq());
            data.set("envelope", accepted.envelope());
            Instant at = Instant.now();
            fanOut.queue(LoomIds.next(IdPrefix.EVENT), WebhookEventTypes.ENVELOPE_ACCEPTED, data, at);
            if (threadOp) {
                fanOut.queue(LoomIds.next(IdPrefix.EVENT), WebhookEventTypes.THREAD_UPDATED, data, at);
            }
        });
    }
}
