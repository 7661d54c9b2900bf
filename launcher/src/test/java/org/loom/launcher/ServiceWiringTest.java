package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.protocol.crypto.SigningKey;

class ServiceWiringTest {

    @TempDir
    Path dataDir;

    private final NodeSigningKey key =
            new NodeSigningKey(SigningKey.generate(), "k_node_sign_local_1", NodeSigningKey.Origin.GENERATED);

    @Test
    void givesEveryServiceTheBrokerTheKeyAndTheInternalUrlsOfAllInternalServices() {
        ServiceWiring wiring = wiring(new H2FileDatabase(dataDir.resolve("db")));

        for (NodeService service : allServices()) {
            Map<String, Object> properties = wiring.propertiesFor(service, "127.0.0.1", 0);
            assertThat(properties)
                    .containsEntry("spring.kafka.bootstrap-servers", "127.0.0.1:19092")
                    .containsEntry("loom.node.signing-private-key-pem", key.privateKeyPem())
                    .containsEntry("loom.node.signing-key-id", "k_node_sign_local_1")
                    .containsEntry("loom.internal.envelope-service-url", "http://127.0.0.1:18001")
                    .containsEntry("loom.internal.federation-service-url", "http://127.0.0.1:18002")
                    .containsEntry("loom.internal.delivery-worker-url", "http://127.0.0.1:18003")
                    .containsEntry("loom.internal.email-bridge-url", "http://127.0.0.1:18004")
                    .doesNotContainKey("spring.application.name");
        }
    }

    @Test
    void pointsOnlyServicesWithASchemaAtTheDatabase() {
        ServiceWiring wiring = wiring(new H2FileDatabase(dataDir.resolve("db")));

        Map<String, Object> envelope = wiring.propertiesFor(NodeServices.INTERNAL.get(0), "127.0.0.1", 18001);
        Map<String, Object> federation = wiring.propertiesFor(NodeServices.INTERNAL.get(1), "127.0.0.1", 18002);
        Map<String, Object> delivery = wiring.propertiesFor(NodeServices.INTERNAL.get(2), "127.0.0.1", 18003);
        // A service that keeps no tables (none of today's five; a future one may not) gets no database at all.
        Map<String, Object> stateless = wiring.propertiesFor(
                NodeService.of("stateless-service", org.loom.delivery.DeliveryWorkerApplication.class), "127.0.0.1", 18004);

        assertThat(envelope)
                .containsEntry("server.port", 18001)
                .containsEntry("spring.flyway.schemas", "envelope")
                .containsEntry("spring.flyway.locations", "classpath:db/migration/envelope")
                .containsEntry("spring.jpa.properties.hibernate.default_schema", "envelope")
                .doesNotContainKey("spring.autoconfigure.exclude");
        assertThat((String) envelope.get("spring.datasource.url")).startsWith("jdbc:h2:file:"
                + dataDir.resolve("db").resolve("loom")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=FALSE");
        assertThat(federation).containsEntry("spring.flyway.schemas", "federation")
                .containsEntry("spring.flyway.locations", "classpath:db/migration/federation");
        assertThat(delivery).containsEntry("spring.flyway.schemas", "delivery");
        assertThat(stateless.keySet()).noneMatch(name -> name.startsWith("spring.datasource")
                || name.startsWith("spring.flyway") || name.startsWith("spring.jpa"));
        assertThat(((String) stateless.get("spring.autoconfigure.exclude")).split(","))
                .contains("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");
    }

    @Test
    void pointsEveryContextAtTheSettingsFileOfItsOwnService() throws Exception {
        for (NodeService service : allServices()) {
            String location = ServiceConfigFiles.locationOf(service);

            assertThat(location).as("one file per service").doesNotContain(",");
            try (InputStream in = URI.create(location).toURL().openStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(text).as(location).contains("name: " + service.name());
            }
        }
    }

    @Test
    void keepsEachServiceOfTheH2DatabaseInItsOwnSchema() throws Exception {
        H2FileDatabase database = new H2FileDatabase(dataDir.resolve("db"));
        String envelopeUrl = database.serviceProperties("envelope").get("spring.datasource.url");
        String federationUrl = database.serviceProperties("federation").get("spring.datasource.url");

        try (Connection envelope = DriverManager.getConnection(envelopeUrl, "sa", "");
             Connection federation = DriverManager.getConnection(federationUrl, "sa", "")) {
            try (Statement statement = envelope.createStatement()) {
                statement.execute("CREATE TABLE thread_row (id TEXT PRIMARY KEY)");
                statement.execute("INSERT INTO thread_row VALUES ('thr_1')");
            }
            try (Statement statement = federation.createStatement()) {
                statement.execute("CREATE TABLE thread_row (id TEXT PRIMARY KEY)");
            }
            assertThat(envelope.getSchema()).isEqualTo("envelope");
            assertThat(federation.getSchema()).isEqualTo("federation");
            assertThat(count(federation, "SELECT count(*) FROM thread_row")).isZero();
            assertThat(count(federation, "SELECT count(*) FROM envelope.thread_row")).isEqualTo(1);
        }
    }

    @Test
    void pointsServicesAtTheirSchemaInPostgres() {
        PostgresDatabase database = new PostgresDatabase("jdbc:postgresql://127.0.0.1:5432/loom", "loom", "pw");

        assertThat(database.serviceProperties("envelope"))
                .containsEntry("spring.datasource.url", "jdbc:postgresql://127.0.0.1:5432/loom")
                .containsEntry("spring.datasource.username", "loom")
                .containsEntry("spring.datasource.password", "pw")
                .containsEntry("spring.datasource.hikari.schema", "envelope")
                .containsEntry("spring.flyway.schemas", "envelope")
                .containsEntry("spring.jpa.properties.hibernate.default_schema", "envelope");
    }

    private ServiceWiring wiring(NodeDatabase database) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("envelope-service", 18001);
        ports.put("federation-service", 18002);
        ports.put("delivery-worker", 18003);
        ports.put("email-bridge", 18004);
        return new ServiceWiring("127.0.0.1:19092", key, database, StateKey.DEFAULT, ports);
    }

    private static List<NodeService> allServices() {
        List<NodeService> services = new ArrayList<>(NodeServices.INTERNAL);
        services.add(NodeServices.GATEWAY);
        return services;
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
