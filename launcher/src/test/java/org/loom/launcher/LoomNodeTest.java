package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.kafka.Topics;

class LoomNodeTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void runsAllFiveServicesStopsCleanlyAndStartsAgainOnTheSameDataDir() throws Exception {
        EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(),
                "PORT", "0"));
        Map<String, Integer> firstPorts;
        VerifyingKey firstKey;
        String clusterId;

        try (LoomNode node = LoomNode.start(settings)) {
            firstPorts = node.servicePorts();
            assertThat(firstPorts).containsOnlyKeys(
                    "api-gateway", "envelope-service", "federation-service", "delivery-worker", "email-bridge");
            assertThat(node.gatewayUrl()).isEqualTo("http://127.0.0.1:" + node.gatewayPort());
            firstPorts.values().forEach(LoomNodeTest::awaitHealthy);

            for (String service : firstPorts.keySet()) {
                assertThat(node.serviceProperty(service, "spring.application.name")).isEqualTo(service);
                assertThat(node.serviceProperty(service, "spring.kafka.bootstrap-servers"))
                        .isEqualTo(node.bootstrapServers());
                assertThat(node.serviceProperty(service, "loom.node.signing-key-id")).isEqualTo("k_node_sign_local_1");
            }
            assertThat(node.serviceProperty("api-gateway", "loom.internal.envelope-service-url"))
                    .isEqualTo("http://127.0.0.1:" + firstPorts.get("envelope-service"));
            assertThat(node.serviceProperty("envelope-service", "spring.datasource.url"))
                    .startsWith("jdbc:h2:file:" + dataDir.resolve("db").resolve("loom") + ";MODE=PostgreSQL");
            assertThat(node.signingKey().origin()).isEqualTo(NodeSigningKey.Origin.GENERATED);
            firstKey = node.signingKey().key().verifyingKey();
            clusterId = Files.readString(dataDir.resolve("kafka").resolve("cluster.id"), StandardCharsets.US_ASCII);
        }

        // The services' pools closed the database: it opens again, with the envelope-service's migrations applied
        // in its own schema.
        String h2Url = new H2FileDatabase(dataDir.resolve("db")).jdbcUrl();
        try (Connection connection = DriverManager.getConnection(h2Url, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT count(*) FROM envelope.flyway_schema_history WHERE success")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isPositive();
        }

        firstPorts.forEach((service, port) -> assertThatThrownBy(() -> connect(port))
                .as("%s still listening on %d after close", service, port)
                .isInstanceOf(ConnectException.class));

        try (LoomNode again = LoomNode.start(settings)) {
            again.servicePorts().values().forEach(LoomNodeTest::awaitHealthy);
            assertThat(again.signingKey().origin()).isEqualTo(NodeSigningKey.Origin.LOADED);
            assertThat(again.signingKey().key().verifyingKey()).isEqualTo(firstKey);
            assertThat(Files.readString(dataDir.resolve("kafka").resolve("cluster.id"), StandardCharsets.US_ASCII))
                    .isEqualTo(clusterId);
        }
    }

    @Test
    void refusesToStartWhenThePortIsTakenBeforeStartingAnything() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                    "LOOM_DATA_DIR", dataDir.toString(),
                    "PORT", Integer.toString(taken.getLocalPort())));

            assertThatThrownBy(() -> LoomNode.start(settings))
                    .isInstanceOf(NodeStartupException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + " (PORT): the port is already in use. Stop the program using it or choose another PORT.");
        }
        assertThat(dataDir.resolve("kafka")).doesNotExist();
    }

    @Test
    void usesAnExternalBrokerInsteadOfEmbeddingOne() throws Exception {
        try (EmbeddedKafka external = EmbeddedKafka.start(dataDir.resolve("external-kafka"))) {
            EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                    "LOOM_DATA_DIR", dataDir.resolve("node").toString(),
                    "PORT", "0",
                    "LOOM_KAFKA_BOOTSTRAP_SERVERS", external.bootstrapServers()));

            try (LoomNode node = LoomNode.start(settings)) {
                assertThat(node.bootstrapServers()).isEqualTo(external.bootstrapServers());
                assertThat(node.serviceProperty("envelope-service", "spring.kafka.bootstrap-servers"))
                        .isEqualTo(external.bootstrapServers());
                awaitHealthy(node.gatewayPort());
            }
            assertThat(dataDir.resolve("node").resolve("kafka")).doesNotExist();
            assertThat(NodeTopics.ensureCreated(external.bootstrapServers(), Topics.all(), Duration.ofSeconds(30)))
                    .as("topics the node did not create on the external broker")
                    .isEmpty();
        }
    }

    @Test
    void refusesABrokenConfiguredKeyBeforeStartingTheBroker() {
        EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(),
                "PORT", "0",
                "LOOM_NODE_SIGNING_PRIVATE_KEY_PEM", "not a key"));

        assertThatThrownBy(() -> LoomNode.start(settings))
                .isInstanceOf(NodeStartupException.class)
                .hasMessageStartingWith("the node signing key in LOOM_NODE_SIGNING_PRIVATE_KEY_PEM");
        assertThat(dataDir.resolve("kafka")).doesNotExist();
    }

    @Test
    void refusesADataDirectoryThatCannotBeCreated() throws Exception {
        Path file = Files.writeString(dataDir.resolve("plain-file"), "x");
        EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", file.resolve("data").toString(),
                "PORT", "0"));

        assertThatThrownBy(() -> LoomNode.start(settings))
                .isInstanceOf(NodeStartupException.class)
                .hasMessageStartingWith("cannot create the data directory " + file.resolve("data"))
                .hasMessageContaining("Set LOOM_DATA_DIR to a directory this user can write.");
    }

    private static void awaitHealthy(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("health of port %d", port).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"UP\"");
        });
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        }
    }
}
