package org.loom.envelope.messaging;

import org.loom.service.messaging.OutboxEvent;
import org.loom.service.messaging.OutboxEventRepository;
import org.loom.service.messaging.ProcessedMessage;
import org.loom.service.messaging.ProcessedMessageRepository;
import org.loom.service.messaging.ProcessedMessages;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.loom.protocol.kafka.EnvelopeAccepted;
import org.loom.protocol.kafka.LoomHeaders;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A consumer shaped like the service's real ones: it reads the message id header, records the message through
 * {@link ProcessedMessages} in a transaction, and remembers every delivery and whether it was applied.
 */
public class RecordingListener {

    /** A topic of its own, so the test's records never reach the service's real consumers. */
    public static final String TOPIC = "loom.test.envelope-round-trip";

    /** One delivery of a record: its message id, the envelope it was about, and whether it was applied. */
    public record Delivery(String messageId, String envelopeId, boolean applied) {
    }

    private final ProcessedMessages processedMessages;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    RecordingListener(ProcessedMessages processedMessages, TransactionTemplate transactions, JsonMapper json) {
        this.processedMessages = processedMessages;
        this.transactions = transactions;
        this.json = json;
    }

    @KafkaListener(topics = TOPIC)
    void onEnvelopeAccepted(ConsumerRecord<String, String> record) {
        Header messageIdHeader = record.headers().lastHeader(LoomHeaders.MESSAGE_ID);
        String messageId = new String(messageIdHeader.value(), StandardCharsets.UTF_8);
        EnvelopeAccepted event = json.readValue(record.value(), EnvelopeAccepted.class);
        Boolean applied = transactions.execute(status -> processedMessages.firstDelivery(messageId, record.topic()));
        deliveries.add(new Delivery(messageId, event.envelopeId(), Boolean.TRUE.equals(applied)));
    }

    /** Every delivery of the given message id so far, in arrival order. */
    public List<Delivery> deliveriesOf(String messageId) {
        return deliveries.stream().filter(delivery -> delivery.messageId().equals(messageId)).toList();
    }

    /** Registers the listener and its topic in a test context. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {

        @Bean
        NewTopic recordingListenerTopic() {
            return TopicBuilder.name(TOPIC).partitions(1).replicas(1).build();
        }

        @Bean
        RecordingListener recordingListener(ProcessedMessages processedMessages, TransactionTemplate transactions,
                JsonMapper json) {
            return new RecordingListener(processedMessages, transactions, json);
        }
    }
}
