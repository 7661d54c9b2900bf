package org.loom.email.it;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.loom.envelope.EnvelopeServiceApplication;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.kafka.Topics;
import org.loom.testsupport.PostgresSchema;
import org.loom.testsupport.TestInfrastructure;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The real envelope-service, started once per test JVM as its own application context on a random port, against the
 * shared broker and a fresh PostgreSQL schema. Tests hand it envelopes the way the gateway does (a
 * {@link SubmitEnvelopeCommand} on its command topic) and the bridge reads them back over its internal HTTP routes.
 */
final class EnvelopeServiceNode {

    static final String NODE_ID = "node.test";

    private static EnvelopeServiceNode instance;

    private final ConfigurableApplicationContext context;
    private final KafkaProducer<String, String> producer;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI baseUrl;

    private EnvelopeServiceNode() {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        infrastructure.startKafkaInBackground();
        PostgresSchema schema = infrastructure.newSchema("envelope-service");
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.config.location", ownApplicationYml());
        properties.put("server.port", 0);
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.kafka.bootstrap-servers", infrastructure.kafkaBootstrapServers());
        properties.put("spring.kafka.consumer.group-id", "envelope-service-test-" + UUID.randomUUID());
        properties.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
        properties.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        properties.put("spring.datasource.url", schema.jdbcUrl());
        properties.put("spring.datasource.username", schema.user());
        properties.put("spring.datasource.password", schema.password());
        properties.put("spring.datasource.driver-class-name", "org.postgresql.Driver");
        properties.put("spring.datasource.hikari.maximum-pool-size", "3");
        properties.put("spring.datasource.hikari.minimum-idle", "0");
        properties.put("spring.flyway.schemas", schema.schema());
        properties.put("spring.flyway.default-schema", schema.schema());
        properties.put("loom.node.id", NODE_ID);
        properties.put("loom.outbox.relay-interval-ms", "100");
        properties.put("management.metrics.use-global-registry", false);
        // Command-line arguments outrank the service's application.yml (default properties would not).
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        context = new SpringApplicationBuilder(EnvelopeServiceApplication.class).run(args);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        baseUrl = URI.create("http://127.0.0.1:" + port);
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            producer.close(Duration.ofSeconds(2));
            context.close();
        }));
    }

    static synchronized EnvelopeServiceNode get() {
        if (instance == null) {
            instance = new EnvelopeServiceNode();
        }
        return instance;
    }

    URI baseUrl() {
        return baseUrl;
    }

    /** Submits a signed envelope as the gateway would for {@code actor}, and waits until it is stored. */
    JsonNode submit(ObjectNode envelope, String actor, String actorType) throws Exception {
        return submit(envelope, actor, actorType, "/v1/envelopes");
    }

    /** {@link #submit(ObjectNode, String, String)} under the given submission route. */
    JsonNode submit(ObjectNode envelope, String actor, String actorType, String route) throws Exception {
        String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
        SubmitEnvelopeCommand command = new SubmitEnvelopeCommand(messageId, "cor_" + messageId, actor, actorType,
                null, envelope, Instant.now(), route);
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ENVELOPE_COMMANDS.name(),
                envelope.path("thread_id").asString(), LoomJson.mapper().writeValueAsString(command));
        record.headers()
                .add(LoomHeaders.MESSAGE_ID, utf8(messageId))
                .add(LoomHeaders.MESSAGE_TYPE, utf8(MessageType.ENVELOPE_SUBMIT.wireName()))
                .add(LoomHeaders.CORRELATION_ID, utf8(command.correlationId()))
                .add(LoomHeaders.ORIGIN, utf8("email-bridge-test"))
                .add(LoomHeaders.SCHEMA_VERSION, utf8(Integer.toString(LoomHeaders.CURRENT_SCHEMA_VERSION)));
        producer.send(record).get();
        String envelopeId = envelope.path("id").asString();
        JsonNode[] stored = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            baseUrl.resolve("/v1/envelopes/" + envelopeId)).header("X-LOOM-Actor", actor).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                stored[0] = LoomJson.parse(response.body());
                return true;
            }
            return false;
        });
        return stored[0];
    }

    /** A stored envelope as {@code actor} reads it; fails when it is not there. */
    JsonNode submitted(String envelopeId, String actor) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(baseUrl.resolve("/v1/envelopes/" + envelopeId))
                .header("X-LOOM-Actor", actor).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("envelope " + envelopeId + ": " + response.statusCode() + " " + response.body());
        }
        return LoomJson.parse(response.body());
    }

    /** The thread summary as {@code actor} reads it. */
    String thread(String threadId, String actor) throws Exception {
        return http.send(HttpRequest.newBuilder(baseUrl.resolve("/v1/threads/" + threadId))
                .header("X-LOOM-Actor", actor).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A request to one of the envelope-service's internal routes as {@code actor}; {@code body} null for none. */
    HttpResponse<String> call(String method, String path, String actor, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(baseUrl.resolve(path)).header("X-LOOM-Actor", actor)
                        .header("Content-Type", "application/json")
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The identity's own mailbox labels on a thread. */
    java.util.List<String> mailboxLabels(String threadId, String actor) throws Exception {
        HttpResponse<String> response = call("GET", "/v1/mailbox/threads/" + threadId, actor, null);
        if (response.statusCode() != 200) {
            throw new AssertionError("labels of " + threadId + ": " + response.statusCode() + " " + response.body());
        }
        return LoomJson.parse(response.body()).path("labels").valueStream().map(JsonNode::asString).toList();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The envelope-service's own application.yml: the email-bridge's has the same name on this class path. */
    private static String ownApplicationYml() {
        CodeSource source = EnvelopeServiceApplication.class.getProtectionDomain().getCodeSource();
        String location = source.getLocation().toExternalForm();
        if (location.endsWith(".jar")) {
            return "jar:" + location + "!/application.yml";
        }
        return (location.endsWith("/") ? location : location + "/") + "application.yml";
    }
}
