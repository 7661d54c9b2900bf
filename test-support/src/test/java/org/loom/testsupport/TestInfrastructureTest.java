package org.loom.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.Topic;
import org.loom.protocol.kafka.Topics;

class TestInfrastructureTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestInfrastructure infrastructure = TestInfrastructure.get();

    @Test
    void sharesOneBrokerPerJvm() {
        assertThat(TestInfrastructure.get()).isSameAs(infrastructure);
        assertThat(infrastructure.kafkaBootstrapServers()).isEqualTo(TestInfrastructure.get().kafkaBootstrapServers());
    }

    @Test
    void createsEveryNodeTopicWithItsPartitionsAndCleanupPolicy() throws Exception {
        List<String> names = Topics.all().stream().map(Topic::name).toList();
        try (Admin admin = admin()) {
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            List<ConfigResource> resources = names.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                    .toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);

            for (Topic topic : Topics.all()) {
                assertThat(descriptions.get(topic.name()).partitions()).as(topic.name()).hasSize(topic.partitions());
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
                assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(topic.name())
                        .isEqualTo(topic.cleanupPolicy());
            }
        }
    }

    @Test
    void brokerStartsConsumerGroupsWithoutInitialRebalanceDelay() throws Exception {
        try (Admin admin = admin()) {
            String brokerId = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().idString();
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokerId);
            Config config = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);

            assertThat(config.get("group.initial.rebalance.delay.ms").value()).isEqualTo("0");
        }
    }

    @Test
    void deliversARecordWithItsKeyAndHeadersToAConsumerGroup() throws Exception {
        String topic = "loom.test.infrastructure-" + UUID.randomUUID();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        try (KafkaProducer<String, String> producer = producer()) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, "thr_1", "{\"envelope_id\":\"env_1\"}");
            record.headers().add(LoomHeaders.MESSAGE_ID, "msg_1".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer("infrastructure-test-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(WAIT);
            while (received.isEmpty() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }

        assertThat(received).hasSize(1);
        ConsumerRecord<String, String> record = received.get(0);
        assertThat(record.key()).isEqualTo("thr_1");
        assertThat(record.value()).isEqualTo("{\"envelope_id\":\"env_1\"}");
        assertThat(new String(record.headers().lastHeader(LoomHeaders.MESSAGE_ID).value(), StandardCharsets.UTF_8))
                .isEqualTo("msg_1");
    }

    @Test
    void createsASchemaThatConnectionsUseAsTheirCurrentSchema() throws SQLException {
        PostgresSchema schema = infrastructure.newSchema("Test Support");

        assertThat(schema.schema()).startsWith("t_test_support_");
        assertThat(schema.jdbcUrl()).endsWith("currentSchema=" + schema.schema());
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT current_schema()")).isEqualTo(schema.schema());
            statement.execute("CREATE TABLE item(id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL)");
            statement.execute("INSERT INTO item(name) VALUES ('first'), ('second')");
            assertThat(single(statement, "SELECT count(*) FROM " + schema.schema() + ".item")).isEqualTo("2");
        }
    }

    @Test
    void dropsASchemaWithEverythingInIt() throws SQLException {
        PostgresSchema schema = infrastructure.newSchema("drop-me");
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept(id INT)");
        }
        assertThat(schema.exists()).isTrue();

        schema.drop();

        assertThat(schema.exists()).isFalse();
        schema.drop();
    }

    @Test
    void handsOutADifferentSchemaOnEveryCall() {
        PostgresSchema first = infrastructure.newSchema("same");
        PostgresSchema second = infrastructure.newSchema("same");

        assertThat(first.schema()).isNotEqualTo(second.schema());
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()));
    }

    private KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String groupId) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, LoomTestProperties.SESSION_TIMEOUT_MS);
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, LoomTestProperties.HEARTBEAT_INTERVAL_MS);
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
