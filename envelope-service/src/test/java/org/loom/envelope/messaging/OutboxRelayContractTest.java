package org.loom.envelope.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loom.envelope.RunningEnvelopeService;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuditRecord;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.LoomMessage;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.Topic;
import org.loom.service.messaging.OutboxEvent;
import org.loom.service.messaging.OutboxEvents;
import org.loom.service.messaging.OutboxRelay;
import org.loom.service.messaging.OutboxSettings;
import org.loom.service.operations.EventOutboxStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay against the real broker and database: committed rows become records with their key, headers and
 * partition, in id order, once; a record the broker refuses outright is parked instead of holding back the rest;
 * published rows are deleted as they go out, or, with a retention, stamped and pruned after it.
 */
class OutboxRelayContractTest extends RunningEnvelopeService {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String TEST_TOPIC_PREFIX = "loom.test.relay-";

    @Autowired
    private OutboxEvents outbox;

    @Autowired
    private OutboxRelay relay;

    @Autowired
    private TransactionTemplate transactions;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private EventOutboxStatus outboxStatus;

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    private AdminClient admin;

    @BeforeEach
    void connect() {
        admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @AfterEach
    void releaseTestRows() {
        // A row left waiting would hold back every later event of this shared context.
        jdbc.update("UPDATE outbox_event SET published_at = CURRENT_TIMESTAMP WHERE published_at IS NULL"
                + " AND topic LIKE ?", TEST_TOPIC_PREFIX + "%");
        admin.close();
    }

    @Test
    void committedRowsBecomeRecordsWithKeyHeadersAndPartitionInOrderExactlyOnce() throws Exception {
        Topic topic = createTopic(3, Map.of());
        List<AuditRecord> messages = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            messages.add(message("event " + i, 10));
        }
        List<Long> ids = transactions.execute(status -> {
            List<Long> appended = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                appended.add(outbox.append(topic, i % 2 == 0 ? "key-even" : "key-odd", messages.get(i)));
            }
            appended.add(outbox.appendToPartition(topic, 2, "key-even", messages.get(5)));
            return appended;
        });

        await().atMost(TIMEOUT).until(() -> unpublished(ids) == 0);
        List<ConsumerRecord<String, String>> records = readAll(topic);

        assertThat(records).extracting(r -> header(r, LoomHeaders.MESSAGE_ID))
                .containsExactlyInAnyOrderElementsOf(messages.stream().map(LoomMessage::messageId).toList());
        assertThat(records.stream().filter(r -> r.key().equals("key-even")).filter(r -> r.partition() != 2
                || !header(r, LoomHeaders.MESSAGE_ID).equals(messages.get(5).messageId())).map(
                        r -> header(r, LoomHeaders.MESSAGE_ID)).toList())
                .containsExactly(messages.get(0).messageId(), messages.get(2).messageId(),
                        messages.get(4).messageId());
        assertThat(records.stream().filter(r -> r.key().equals("key-odd")).map(r -> header(r,
                LoomHeaders.MESSAGE_ID)).toList())
                .containsExactly(messages.get(1).messageId(), messages.get(3).messageId());
        ConsumerRecord<String, String> targeted = records.stream()
                .filter(r -> header(r, LoomHeaders.MESSAGE_ID).equals(messages.get(5).messageId()))
                .findFirst().orElseThrow();
        assertThat(targeted.partition()).isEqualTo(2);
        assertThat(targeted.key()).isEqualTo("key-even");
        for (ConsumerRecord<String, String> record : records) {
            assertThat(header(record, LoomHeaders.MESSAGE_TYPE)).isEqualTo(MessageType.AUDIT_RECORD.wireName());
            assertThat(header(record, LoomHeaders.SCHEMA_VERSION)).isEqualTo("1");
            assertThat(header(record, LoomHeaders.ORIGIN)).isEqualTo("envelope-service");
            AuditRecord body = LoomJson.mapper().readValue(record.value(), AuditRecord.class);
            assertThat(body.messageId()).isEqualTo(header(record, LoomHeaders.MESSAGE_ID));
        }
    }

    @Test
    void aRecordTheBrokerRefusesIsParkedAndLaterEventsOfItsKeyStillGoOut() throws Exception {
        Topic topic = createTopic(1, Map.of("max.message.bytes", "2048"));
        AuditRecord before = message("before", 10);
        AuditRecord poison = message("too large", 8000);
        AuditRecord after = message("after", 10);
        List<Long> ids = transactions.execute(status -> List.of(
                outbox.append(topic, "key", before),
                outbox.append(topic, "key", poison),
                outbox.append(topic, "key", after)));

        await().atMost(TIMEOUT).until(() -> unpublished(ids) == 0);

        assertThat(readAll(topic)).extracting(r -> header(r, LoomHeaders.MESSAGE_ID))
                .containsExactly(before.messageId(), after.messageId());
        assertThat(jdbc.queryForObject("SELECT published_at FROM outbox_event WHERE id = ?",
                java.time.OffsetDateTime.class, ids.get(1)).toInstant()).isEqualTo(OutboxRelay.PARKED_AT);
        assertThat(outboxStatus.parked()).isGreaterThanOrEqualTo(1);
        assertThat(outboxStatus.status().get("parked_events").findValuesAsString("message_id"))
                .contains(poison.messageId());
        relay.prunePublished();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE id = ?", Long.class, ids.get(1)))
                .as("a parked event stays for the operator").isOne();

        // The relay is not left one record at a time or stalled: the next event goes out as usual.
        Long next = transactions.execute(status -> outbox.append(topic, "key", message("next", 10)));
        await().atMost(TIMEOUT).until(() -> unpublished(List.of(next)) == 0);
    }

    @Test
    void publishedRowsAreDeletedByThePassThatPublishedThem() throws Exception {
        Topic topic = createTopic(1, Map.of());
        AuditRecord event = message("gone once sent", 10);
        Long id = transactions.execute(status -> outbox.append(topic, "key", event));

        await().atMost(TIMEOUT).until(() -> rows(id) == 0);

        assertThat(readAll(topic)).extracting(r -> header(r, LoomHeaders.MESSAGE_ID))
                .containsExactly(event.messageId());
    }

    @Test
    void withARetentionPublishedRowsAreStampedAndPrunedOnceItHasPassed() {
        Topic topic = createTopic(1, Map.of());
        DefaultKafkaProducerFactory<String, String> producers = relayProducers();
        OutboxRelay keeping = new OutboxRelay(producers, jdbc, transactions,
                new OutboxSettings(200, 200, 30_000, 30_000, Duration.ofHours(1).toMillis(), 60_000),
                "envelope-service", Clock.systemUTC());
        // The service's own relay (no retention) would delete the rows before the one under test saw them.
        relay.stop();
        try {
            List<Long> ids = transactions.execute(status -> List.of(
                    outbox.append(topic, "key", message("old", 10)),
                    outbox.append(topic, "key", message("recent", 10))));

            assertThat(keeping.publishWaiting()).isGreaterThanOrEqualTo(2);

            assertThat(unpublished(ids)).isZero();
            assertThat(rows(ids.get(0)) + rows(ids.get(1))).as("published rows are kept, stamped").isEqualTo(2);
            jdbc.update("UPDATE outbox_event SET published_at = published_at - INTERVAL '2' HOUR WHERE id = ?",
                    ids.get(0));
            keeping.prunePublished();
            assertThat(rows(ids.get(0))).as("past its retention").isZero();
            assertThat(rows(ids.get(1))).as("within its retention").isOne();
        } finally {
            relay.start();
            producers.destroy();
        }
    }

    private DefaultKafkaProducerFactory<String, String> relayProducers() {
        return new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer());
    }

    private long rows(Long id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE id = ?", Long.class, id);
    }

    private Topic createTopic(int partitions, Map<String, String> configs) {
        String name = TEST_TOPIC_PREFIX + UUID.randomUUID().toString().substring(0, 8);
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create " + name, e);
        }
        return new Topic(name, partitions, false, "test key");
    }

    private static AuditRecord message(String action, int padding) {
        var payload = LoomJson.mapper().createObjectNode().put("padding", "x".repeat(padding)).put("ratio", 0.5);
        return new AuditRecord("msg_" + UUID.randomUUID(), "envelope-service", action, payload,
                java.time.Instant.now());
    }

    private long unpublished(Collection<Long> ids) {
        long waiting = 0;
        for (Long id : ids) {
            waiting += jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE id = ? AND published_at IS NULL",
                    Long.class, id);
        }
        return waiting;
    }

    /** Every record of the topic, partition by partition in offset order, up to the current end. */
    private List<ConsumerRecord<String, String>> readAll(Topic topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, List<ConsumerRecord<String, String>>> read = new HashMap<>();
            await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> read.computeIfAbsent(
                        new TopicPartition(record.topic(), record.partition()), p -> new ArrayList<>()).add(record));
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            partitions.forEach(p -> all.addAll(read.getOrDefault(p, List.of())));
            return all;
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
