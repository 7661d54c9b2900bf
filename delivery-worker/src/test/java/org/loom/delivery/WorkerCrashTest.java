package org.loom.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.webhook.WebhookSignature;
import org.loom.service.outbox.HttpReceiver;
import org.loom.testsupport.PostgresSchema;
import org.loom.testsupport.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * The delivery-worker as a separate JVM, configured through the environment as a split deployment configures it,
 * killed with SIGKILL while its deliveries are being retried, then started again: every event still becomes exactly
 * one delivery, and the receiver takes each delivery once.
 */
class WorkerCrashTest {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String EVENT = "email.outbox.process.failed";

    private final HttpClient http = HttpClient.newHttpClient();
    private Process worker;
    private HttpReceiver receiver;

    @AfterEach
    void stop() {
        if (worker != null && worker.isAlive()) {
            worker.destroyForcibly();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void workerKilledMidRetryLosesNothingAndDeliversNothingTwiceAfterRestart() throws Exception {
        String bootstrap = TestInfrastructure.get().kafkaBootstrapServers();
        PostgresSchema schema = TestInfrastructure.get().newSchema("delivery_crash");
        String group = "delivery-worker-crash-" + UUID.randomUUID().toString().substring(0, 8);
        receiver = HttpReceiver.start("/", WebhookSignature.DELIVERY_ID);
        receiver.fail();

        int port = freePort();
        worker = start(schema, bootstrap, group, port, "first");
        awaitHealthy(port);
        JsonNode webhook = post(port, "/v1/webhooks", "{\"url\":\"" + receiver.url("/crash") + "\",\"events\":[\""
                + EVENT + "\"],\"max_attempts\":20,\"timeout_ms\":5000}");
        String webhookId = webhook.get("id").asString();

        try (NodeEvents events = new NodeEvents(bootstrap)) {
            for (int i = 0; i < 5; i++) {
                events.audit("email-bridge", EVENT, LoomJson.mapper().createObjectNode().put("n", i));
            }
            await().atMost(TIMEOUT).until(() -> {
                JsonNode items = items(port, webhookId);
                if (items.size() != 5) {
                    return false;
                }
                for (JsonNode item : items) {
                    if (item.get("attempts").asInt() < 1) {
                        return false;
                    }
                }
                return true;
            });
            // Kill it while an attempt is in flight: the receiver holds the next request without answering.
            int before = receiver.arrivals();
            receiver.hang();
            await().atMost(TIMEOUT).until(() -> receiver.arrivals() > before);
            worker.destroyForcibly();
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            receiver.fail();

            // Events published while no worker runs wait in Kafka.
            for (int i = 5; i < 8; i++) {
                events.audit("email-bridge", EVENT, LoomJson.mapper().createObjectNode().put("n", i));
            }
        }
        receiver.accept();
        worker = start(schema, bootstrap, group, port, "second");
        awaitHealthy(port);

        JsonNode delivered = await().atMost(TIMEOUT).until(() -> items(port, webhookId), items -> {
            int count = 0;
            for (JsonNode item : items) {
                count += item.get("status").asString().equals("delivered") ? 1 : 0;
            }
            return items.size() >= 8 && count == items.size();
        });
        assertThat(delivered).hasSize(8);
        Set<Integer> numbers = new HashSet<>();
        Set<String> itemIds = new HashSet<>();
        for (JsonNode item : delivered) {
            numbers.add(item.at("/payload/data/n").asInt());
            itemIds.add(item.get("id").asString());
        }
        assertThat(numbers).as("every event became exactly one delivery").containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5,
                6, 7);
        // Delivery is at least once: an attempt the receiver answered too late for the worker is sent again, with the
        // same delivery id. A receiver that drops repeats by that id sees each event once.
        Set<String> takenIds = new HashSet<>();
        receiver.received().forEach(received -> takenIds.add(received.header(WebhookSignature.DELIVERY_ID)));
        assertThat(takenIds).isEqualTo(itemIds);
        for (String itemId : itemIds) {
            assertThat(receiver.taken(itemId)).as(itemId).isGreaterThanOrEqualTo(1);
        }
    }

    private Process start(PostgresSchema schema, String bootstrap, String group, int port, String name)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx320m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), DeliveryWorkerApplication.class.getName());
        Map<String, String> env = builder.environment();
        env.put("PORT", Integer.toString(port));
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("SPRING_KAFKA_CONSUMER_GROUP_ID", group);
        env.put("SPRING_DATASOURCE_URL", schema.jdbcUrl());
        env.put("SPRING_DATASOURCE_USERNAME", schema.user());
        env.put("SPRING_DATASOURCE_PASSWORD", schema.password());
        env.put("SPRING_DATASOURCE_DRIVER_CLASS_NAME", "org.postgresql.Driver");
        env.put("SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE", "3");
        env.put("SPRING_FLYWAY_SCHEMAS", schema.schema());
        env.put("SPRING_FLYWAY_DEFAULT_SCHEMA", schema.schema());
        env.put("LOOM_NODE_SIGNING_PRIVATE_KEY_PEM", TestNodeKey.KEY.toPkcs8Pem());
        env.put("LOOM_NODE_SIGNING_KEY_ID", TestNodeKey.KEY_ID);
        env.put("LOOM_OUTBOUND_ALLOW_PRIVATE_CIDRS", "127.0.0.0/8");
        env.put("LOOM_WEBHOOK_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "200");
        env.put("LOOM_WEBHOOK_OUTBOX_BASE_BACKOFF_MS", "300");
        env.put("LOOM_WEBHOOK_OUTBOX_MAX_BACKOFF_MS", "1000");
        env.put("LOOM_WEBHOOK_OUTBOX_ATTEMPT_TIMEOUT_MS", "8000");
        env.put("LOOM_WEBHOOK_OUTBOX_LEASE_MS", "20000");
        env.put("LOOM_OUTBOX_RELAY_INTERVAL_MS", "100");
        env.put("SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", "6000");
        env.put("SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "1000");
        File log = Path.of("target", "worker-crash-" + name + ".log").toFile();
        Files.createDirectories(log.toPath().getParent());
        builder.redirectErrorStream(true).redirectOutput(log);
        return builder.start();
    }

    private void awaitHealthy(int port) {
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(worker.isAlive()).as("worker process alive").isTrue();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private JsonNode items(int port, String webhookId) throws Exception {
        return get(port, "/v1/webhooks/outbox?webhook_id=" + webhookId).get("outbox");
    }

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return LoomJson.parse(response.body());
    }

    private JsonNode post(int port, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return LoomJson.parse(response.body());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
