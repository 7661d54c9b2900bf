package org.loom.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LoomTestPropertiesTest {

    @Test
    void pointsKafkaAndTheDatasourceAtTheSharedInfrastructure() {
        Map<String, Supplier<Object>> properties = new HashMap<>();

        PostgresSchema schema = LoomTestProperties.register(properties::put, "envelope-service");

        assertThat(value(properties, "spring.kafka.bootstrap-servers"))
                .isEqualTo(TestInfrastructure.get().kafkaBootstrapServers());
        assertThat(value(properties, "spring.datasource.url")).isEqualTo(schema.jdbcUrl());
        assertThat(value(properties, "spring.datasource.username")).isEqualTo(schema.user());
        assertThat(value(properties, "spring.datasource.hikari.maximum-pool-size")).isEqualTo("3");
        assertThat(value(properties, "spring.datasource.hikari.minimum-idle")).isEqualTo("0");
        assertThat(value(properties, "spring.flyway.schemas")).isEqualTo(schema.schema());
        assertThat(value(properties, "spring.flyway.default-schema")).isEqualTo(schema.schema());
        assertThat(value(properties, "spring.kafka.consumer.properties.session.timeout.ms")).isEqualTo("6000");
        assertThat(value(properties, "spring.kafka.consumer.properties.heartbeat.interval.ms")).isEqualTo("1000");
        assertThat(schema.schema()).startsWith("t_envelope_service_");
    }

    @Test
    void givesEachContextItsOwnStableConsumerGroupAndSchema() {
        Map<String, Supplier<Object>> first = new HashMap<>();
        Map<String, Supplier<Object>> second = new HashMap<>();

        LoomTestProperties.register(first::put, "delivery-worker");
        LoomTestProperties.register(second::put, "delivery-worker");

        Object group = value(first, "spring.kafka.consumer.group-id");
        assertThat(value(first, "spring.kafka.consumer.group-id")).isEqualTo(group);
        assertThat(value(second, "spring.kafka.consumer.group-id")).isNotEqualTo(group);
        assertThat(group.toString()).startsWith("delivery-worker-test-");
        assertThat(value(second, "spring.flyway.schemas")).isNotEqualTo(value(first, "spring.flyway.schemas"));
    }

    private static Object value(Map<String, Supplier<Object>> properties, String name) {
        assertThat(properties).containsKey(name);
        return properties.get(name).get();
    }
}
