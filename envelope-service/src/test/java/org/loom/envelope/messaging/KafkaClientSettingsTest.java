package org.loom.envelope.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.loom.envelope.RunningEnvelopeService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;

/** The Kafka client settings the service runs with, as its configuration gives them to the clients. */
class KafkaClientSettingsTest extends RunningEnvelopeService {

    @Autowired
    private ProducerFactory<?, ?> producers;

    @Autowired
    private ConsumerFactory<?, ?> consumers;

    @Test
    void producerWaitsForAllInSyncReplicasAndIsIdempotent() {
        Map<String, Object> settings = producers.getConfigurationProperties();

        assertThat(settings.get(ProducerConfig.ACKS_CONFIG)).hasToString("all");
        assertThat(settings.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).hasToString("true");
    }

    @Test
    void consumerStartsNewGroupsAtTheOldestRecordAndCommitsOnlyAfterProcessing() {
        Map<String, Object> settings = consumers.getConfigurationProperties();

        assertThat(settings.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)).hasToString("earliest");
        assertThat(settings.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).hasToString("false");
        assertThat(settings.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).hasToString("read_committed");
    }

    @Test
    void consumerGroupOfTheTestContextIsItsOwn() {
        assertThat(consumers.getConfigurationProperties().get(ConsumerConfig.GROUP_ID_CONFIG).toString())
                .startsWith("envelope-service-test-");
    }
}
