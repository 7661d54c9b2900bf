package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.protocol.kafka.Topic;
import org.loom.protocol.kafka.Topics;

class EmbeddedKafkaTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void createsEveryNodeTopicAndKeepsRecordsAndClusterIdAcrossRestarts() throws Exception {
        Topic topic = Topics.ENVELOPE_EVENTS;
        String clusterId;
        RecordMetadata written;

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"))) {
            clusterId = kafka.clusterId();
            List<String> created = NodeTopics.ensureCreated(kafka.bootstrapServers(), Topics.all(), TIMEOUT);
            assertThat(created).containsExactlyInAnyOrderElementsOf(names(Topics.all()));

            Map<String, TopicDescription> described = describe(kafka.bootstrapServers());
            for (Topic expected : Topics.all()) {
                assertThat(described.get(expected.name()).partitions())
                        .as("partitions of %s", expected.name())
                        .hasSize(expected.partitions());
            }
            assertThat(cleanupPolicy(kafka.bootstrapServers(), Topics.IDENTITY_CHANGES.name()))
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            assertThat(cleanupPolicy(kafka.bootstrapServers(), topic.name()))
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);

            written = produce(kafka.bootstrapServers(), topic.name(), "thr_01", "{\"accepted\":true}");
            assertRecordAt(kafka.bootstrapServers(), written, "thr_01", "{\"accepted\":true}");
        }

        try (EmbeddedKafka restarted = EmbeddedKafka.start(dataDir.resolve("kafka"))) {
            assertThat(restarted.clusterId()).isEqualTo(clusterId);
            assertThat(NodeTopics.ensureCreated(restarted.bootstrapServers(), Topics.all(), TIMEOUT))
                    .as("topics created by the second start")
                    .isEmpty();
            assertRecordAt(restarted.bootstrapServers(), written, "thr_01", "{\"accepted\":true}");
        }
    }

    @Test
    void refusesADirectoryThatCannotBeCreated() throws Exception {
        Path file = Files.writeString(dataDir.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> EmbeddedKafka.start(file.resolve("kafka")))
                .isInstanceOf(NodeStartupException.class)
                .hasMessageContaining("cannot create the broker directory");
    }

    private static List<String> names(List<Topic> topics) {
        return topics.stream().map(Topic::name).collect(Collectors.toList());
    }

    private static Admin admin(String bootstrapServers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(config);
    }

    private static Map<String, TopicDescription> describe(String bootstrapServers) throws Exception {
        try (Admin admin = admin(bootstrapServers)) {
            return admin.describeTopics(names(Topics.all())).allTopicNames().get();
        }
    }

    private static String cleanupPolicy(String bootstrapServers, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = admin(bootstrapServers)) {
            return admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        }
    }

    private static RecordMetadata produce(String bootstrapServers, String topic, String key, String value)
            throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Reads the record at the written offset, without a consumer group, and checks it is the one written. */
    private static void assertRecordAt(String bootstrapServers, RecordMetadata written, String key, String value) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition partition = new TopicPartition(written.topic(), written.partition());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, written.offset());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).records(partition).forEach(records::add);
            }
        }
        assertThat(records).as("records at %s", written).isNotEmpty();
        assertThat(records.get(0).offset()).isEqualTo(written.offset());
        assertThat(records.get(0).key()).isEqualTo(key);
        assertThat(records.get(0).value()).isEqualTo(value);
    }
}
