package org.loom.envelope.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loom.envelope.CommandChannel;
import org.loom.envelope.RunningEnvelopeService;
import org.loom.envelope.TestEnvelopes;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The service's own backup part on PostgreSQL: exported, imported back, and the service goes on writing. */
class PersistenceRoutesTest extends RunningEnvelopeService {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "loom://bob@node.test";

    @LocalServerPort
    private int port;

    @Autowired
    private KafkaTemplate<String, String> kafka;

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestEnvelopes envelopes = new TestEnvelopes();
    private CommandChannel channel;

    @BeforeEach
    void openChannel() {
        channel = new CommandChannel(kafka, bootstrapServers);
    }

    @AfterEach
    void closeChannel() {
        channel.close();
    }

    @Test
    void exportedPartImportsBackAndNewWritesFollowIt() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String threadId = TestEnvelopes.newThreadId();
        String rootId = TestEnvelopes.newEnvelopeId();
        submit(envelopes.message(rootId, threadId, null, ALICE, t0, BOB), ALICE);

        JsonNode schema = LoomJson.parse(send("GET", "/internal/persistence/schema", null).body());
        assertThat(schema.get("initialized").asBoolean()).isTrue();
        assertThat(schema.get("database").asString()).containsIgnoringCase("postgres");

        HttpResponse<String> exported = send("GET", "/internal/persistence/export", null);
        assertThat(exported.statusCode()).isEqualTo(200);
        JsonNode part = LoomJson.parse(exported.body());
        assertThat(part.at("/tables/envelope/rows").size()).isPositive();
        assertThat(part.at("/tables").has("flyway_schema_history")).isFalse();
        long envelopesBefore = part.at("/tables/envelope/rows").size();

        HttpResponse<String> imported = send("POST", "/internal/persistence/import", exported.body());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        JsonNode again = LoomJson.parse(send("GET", "/internal/persistence/export", null).body());
        assertThat(again.at("/tables/envelope/rows").size()).isEqualTo(envelopesBefore);

        // Identity columns continue after the imported ids: the outbox takes new events without collisions.
        CommandResult reply = submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, rootId, BOB,
                t0.plusMillis(10), ALICE), BOB);
        assertThat(reply.body().at("/meta/event_seq").asInt()).isEqualTo(2);
    }

    @Test
    void partsThatDoNotFitAreRefusedWithoutChangingAnything() throws Exception {
        ObjectNode foreign = LoomJson.mapper().createObjectNode();
        foreign.put("format_version", 1);
        foreign.putObject("tables").putObject("no_such_table").putArray("columns");
        assertThat(send("POST", "/internal/persistence/import", foreign.toString()).statusCode()).isEqualTo(400);
        foreign.put("format_version", 99);
        assertThat(send("POST", "/internal/persistence/import", foreign.toString()).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/internal/persistence/import", "[]").statusCode()).isEqualTo(400);
    }

    private CommandResult submit(ObjectNode envelope, String actor) {
        CommandResult reply = channel.submit(CommandChannel.commandFor(envelope, actor));
        assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(201);
        return reply;
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
