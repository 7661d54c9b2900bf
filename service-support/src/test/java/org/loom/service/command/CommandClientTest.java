package org.loom.service.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.Topics;
import org.loom.testsupport.TestInfrastructure;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The results topic is shared by every requesting service; each one acts only on the results keyed by its name. */
class CommandClientTest {

    private final String bootstrap = TestInfrastructure.get().kafkaBootstrapServers();
    // Unique per test: every test's client reads the results topic from its start, and must skip what others wrote.
    private final String alpha = "alpha-" + System.nanoTime();
    private final String beta = "beta-" + System.nanoTime();
    private final List<CommandResult> unclaimed = new CopyOnWriteArrayList<>();
    private CommandClient client;
    private KafkaProducer<String, String> producer;

    @BeforeEach
    void start() throws Exception {
        createResultsTopic();
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(bootstrap));
        client = new CommandClient(kafka, "command-client-test-" + System.nanoTime(), alpha, unclaimed::add);
        client.start();
        await().atMost(Duration.ofSeconds(30)).until(client::isReady);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    @AfterEach
    void stop() {
        if (producer != null) {
            producer.close();
        }
        if (client != null) {
            client.stop();
        }
    }

    @Test
    void aResultKeyedByAnotherServiceNeitherCompletesAWaitNorCountsAsUnclaimed() throws Exception {
        String correlationId = "cor_" + System.nanoTime();
        CommandClient.PendingDecision waiting = client.expect(correlationId);
        int partition = client.replyPartition(Duration.ofSeconds(5)).orElseThrow();

        publish(partition, beta, CommandResult.success("evt_beta_" + System.nanoTime(), correlationId, 201, body()));
        String unrelated = "cor_other_" + System.nanoTime();
        publish(partition, beta, CommandResult.success("evt_beta2_" + System.nanoTime(), unrelated, 201, body()));
        publish(partition, alpha, CommandResult.success("evt_alpha_" + System.nanoTime(), correlationId, 201, body()));

        Optional<CommandResult> result = waiting.await(Duration.ofSeconds(20));
        assertThat(result).isPresent();
        assertThat(result.get().messageId()).startsWith("evt_alpha_");
        assertThat(unclaimed).isEmpty();
    }

    @Test
    void aLateResultOfThisServiceGoesToTheUnclaimedCallback() throws Exception {
        int partition = client.replyPartition(Duration.ofSeconds(5)).orElseThrow();
        String late = "cor_late_" + System.nanoTime();

        publish(partition, beta, CommandResult.success("evt_b_" + System.nanoTime(), "cor_b_" + late, 201, body()));
        publish(partition, alpha, CommandResult.success("evt_a_" + System.nanoTime(), late, 201, body()));

        await().atMost(Duration.ofSeconds(20)).until(() -> !unclaimed.isEmpty());
        assertThat(unclaimed).extracting(CommandResult::correlationId).containsExactly(late);
    }

    private void publish(int partition, String key, CommandResult result)
            throws InterruptedException, ExecutionException {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ENVELOPE_COMMAND_RESULTS.name(), partition,
                key, LoomJson.mapper().writeValueAsString(result));
        record.headers().add(LoomHeaders.MESSAGE_TYPE,
                MessageType.COMMAND_RESULT.wireName().getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    private static JsonNode body() {
        return JsonNodeFactory.instance.objectNode().put("id", "env_x");
    }

    private void createResultsTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.ENVELOPE_COMMAND_RESULTS.name(),
                    Topics.ENVELOPE_COMMAND_RESULTS.partitions(), (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
