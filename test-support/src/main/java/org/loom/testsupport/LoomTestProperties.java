package org.loom.testsupport;

import java.util.Locale;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring Boot test context at the shared {@link TestInfrastructure}:
 *
 * <pre>{@code
 * @DynamicPropertySource
 * static void infrastructure(DynamicPropertyRegistry registry) {
 *     LoomTestProperties.register(registry, "envelope-service");
 * }
 * }</pre>
 *
 * <p>Each context gets its own fresh PostgreSQL schema (so each context's Flyway history starts empty) and its own
 * consumer group id (so contexts cached side by side in one JVM never steal each other's partitions). Listeners must
 * therefore take their group id from {@code spring.kafka.consumer.group-id} rather than hard-coding one. Consumer
 * timings are shortened so a test does not wait long for group membership.
 */
public final class LoomTestProperties {

    /** The smallest session timeout a broker accepts by default ({@code group.min.session.timeout.ms}). */
    static final String SESSION_TIMEOUT_MS = "6000";
    static final String HEARTBEAT_INTERVAL_MS = "1000";
    /** Several contexts share one server that allows 100 connections. */
    static final String MAX_POOL_SIZE = "3";

    private LoomTestProperties() {
    }

    /**
     * Registers Kafka and datasource properties for one service's test context and returns the schema it will use.
     * The broker, if not running yet, starts in the background while the context initialises.
     */
    public static PostgresSchema register(DynamicPropertyRegistry registry, String serviceName) {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        infrastructure.startKafkaInBackground();
        PostgresSchema schema = infrastructure.newSchema(serviceName);

        registry.add("spring.kafka.bootstrap-servers", infrastructure::kafkaBootstrapServers);
        String groupId = groupId(serviceName);
        registry.add("spring.kafka.consumer.group-id", () -> groupId);
        registry.add("spring.kafka.consumer.properties.session.timeout.ms", () -> SESSION_TIMEOUT_MS);
        registry.add("spring.kafka.consumer.properties.heartbeat.interval.ms", () -> HEARTBEAT_INTERVAL_MS);

        registry.add("spring.datasource.url", schema::jdbcUrl);
        registry.add("spring.datasource.username", schema::user);
        registry.add("spring.datasource.password", schema::password);
        registry.add("spring.datasource.driver-class-name", () -> "org.postgresql.Driver");
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> MAX_POOL_SIZE);
        registry.add("spring.datasource.hikari.minimum-idle", () -> "0");
        registry.add("spring.flyway.schemas", schema::schema);
        registry.add("spring.flyway.default-schema", schema::schema);
        return schema;
    }

    private static String groupId(String serviceName) {
        return serviceName.toLowerCase(Locale.ROOT) + "-test-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
