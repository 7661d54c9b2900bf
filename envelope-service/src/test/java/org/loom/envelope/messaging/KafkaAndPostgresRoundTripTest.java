package org.loom.envelope.messaging;

import org.loom.service.messaging.OutboxEvent;
import org.loom.service.messaging.OutboxEventRepository;
import org.loom.service.messaging.ProcessedMessage;
import org.loom.service.messaging.ProcessedMessageRepository;
import org.loom.service.messaging.ProcessedMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.loom.envelope.RunningEnvelopeService;
import org.loom.protocol.kafka.EnvelopeAccepted;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.Topics;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A record travels through the real broker to a consumer that records it in the real database, with the tables
 * Flyway created in this context's own schema; a second delivery of the same message id is skipped.
 */
class KafkaAndPostgresRoundTripTest extends RunningEnvelopeService {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    private KafkaTemplate<String, String> kafka;

    @Autowired
    private RecordingListener listener;

    @Autowired
    private ProcessedMessageRepository processedMessages;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private JsonMapper json;

    @Value("${spring.flyway.default-schema}")
    private String schema;

    @Test
    void consumerRecordsAMessageFromKafkaInPostgres() throws Exception {
        String messageId = "msg_" + UUID.randomUUID();
        Instant sentAt = Instant.now();

        send(messageId, "env_round_trip_1");

        await().atMost(DELIVERY_TIMEOUT).until(() -> !listener.deliveriesOf(messageId).isEmpty());
        assertThat(listener.deliveriesOf(messageId))
                .containsExactly(new RecordingListener.Delivery(messageId, "env_round_trip_1", true));
        ProcessedMessage row = processedMessages.findById(messageId).orElseThrow();
        assertThat(row.topic()).isEqualTo(RecordingListener.TOPIC);
        assertThat(row.processedAt()).isAfter(sentAt.minusSeconds(60)).isBefore(Instant.now().plusSeconds(60));
    }

    @Test
    void secondDeliveryOfTheSameMessageIdIsSkipped() throws Exception {
        String messageId = "msg_" + UUID.randomUUID();

        send(messageId, "env_round_trip_2");
        send(messageId, "env_round_trip_2");

        await().atMost(DELIVERY_TIMEOUT).until(() -> listener.deliveriesOf(messageId).size() == 2);
        assertThat(listener.deliveriesOf(messageId)).extracting(RecordingListener.Delivery::applied)
                .containsExactly(true, false);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM processed_message WHERE message_id = ?", Long.class,
                messageId)).isEqualTo(1L);
    }

    @Test
    void runsOnPostgresInItsOwnSchemaMigratedByFlyway() {
        assertThat(schema).startsWith("t_envelope_service_");
        assertThat(jdbc.queryForObject("SELECT current_schema()", String.class)).isEqualTo(schema);
        assertThat(jdbc.queryForObject("SELECT version()", String.class)).startsWith("PostgreSQL");
        assertThat(jdbc.queryForList("SELECT version FROM " + schema + ".flyway_schema_history WHERE success",
                String.class)).contains("1");
        assertThat(jdbc.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
                String.class, schema)).contains("processed_message", "outbox_event");
    }

    @Test
    void serviceProducesToTheBrokerWhereTheNodeTopicsExist() {
        assertThat(kafka.partitionsFor(Topics.ENVELOPE_COMMANDS.name()))
                .hasSize(Topics.ENVELOPE_COMMANDS.partitions());
    }

    private void send(String messageId, String envelopeId) throws Exception {
        EnvelopeAccepted event = new EnvelopeAccepted(messageId, "thr_round_trip", envelopeId, 1,
                json.readTree("{\"id\":\"" + envelopeId + "\",\"thread_id\":\"thr_round_trip\"}"));
        ProducerRecord<String, String> record =
                new ProducerRecord<>(RecordingListener.TOPIC, event.threadId(), json.writeValueAsString(event));
        record.headers()
                .add(LoomHeaders.MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8))
                .add(LoomHeaders.MESSAGE_TYPE, MessageType.of(event).wireName().getBytes(StandardCharsets.UTF_8))
                .add(LoomHeaders.ORIGIN, "envelope-service".getBytes(StandardCharsets.UTF_8));
        kafka.send(record).get(30, TimeUnit.SECONDS);
    }
}
