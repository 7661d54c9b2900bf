package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.loom.launcher.OperatorClient.bearer;
import static org.loom.launcher.OperatorClient.expect;
import static org.loom.launcher.OperatorClient.headers;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.launcher.OperatorClient.Person;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operator's surfaces on the whole embedded node: readiness, admin status, metrics gathered from every service,
 * the request log, and blobs through the gateway.
 */
class OperationsEndToEndTest {

    private static final String ADMIN_TOKEN = "operator-secret-1";
    private static final Map<String, String> ADMIN = headers("x-loom-admin-token", ADMIN_TOKEN);

    @TempDir
    static Path dataDir;

    private static LoomNode node;
    private static OperatorClient client;
    private static ListAppender<ILoggingEvent> requestLog;

    @BeforeAll
    static void startNode() {
        node = LoomNode.start(EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(),
                "PORT", "0",
                "LOOM_ADMIN_TOKEN", ADMIN_TOKEN,
                "LOOM_REQUEST_LOG_ENABLED", "true")));
        client = new OperatorClient(node.gatewayUrl());
        requestLog = new ListAppender<>();
        requestLog.start();
        ((Logger) LoggerFactory.getLogger("org.loom.gateway.requests")).addAppender(requestLog);
    }

    @AfterAll
    static void stopNode() {
        ((Logger) LoggerFactory.getLogger("org.loom.gateway.requests")).detachAppender(requestLog);
        node.close();
    }

    @Test
    void readinessChecksTheBrokerTheDatabaseAndTheReplyConsumer() throws Exception {
        JsonNode ready = expect(client.send("GET", "/ready", null, Map.of()), 200);
        assertThat(ready.get("ok").asBoolean()).isTrue();
        assertThat(ready.get("checks").propertyNames()).contains("database", "kafka");
        assertThat(ready.get("checks").size()).isGreaterThanOrEqualTo(3);
        ready.get("checks").forEach(check -> assertThat(check.stringValue()).isEqualTo("ok"));
    }

    @Test
    void adminRoutesNeedTheAdminToken() throws Exception {
        JsonNode refused = expect(client.send("GET", "/v1/admin/status", null, Map.of()), 403);
        assertThat(refused.at("/error/code").stringValue()).isEqualTo("CAPABILITY_DENIED");
        assertThat(refused.at("/error/details/field").stringValue()).isEqualTo("x-loom-admin-token");
        expect(client.send("GET", "/metrics", null, headers("x-loom-admin-token", "wrong")), 403);
    }

    @Test
    void metricValuesChangeAfterTheActionsTheyCount() throws Exception {
        Person alice = Person.named("alice-metrics");
        Person bob = Person.named("bob-metrics");
        String aliceToken = client.enrol(alice);
        client.enrol(bob);

        String before = metrics();
        assertThat(before).contains("loom_service_up{service=\"envelope-service\"} 1");
        assertThat(before).contains("# TYPE loom_requests_total counter");
        // Every service's registry appears, each sample labelled with its service.
        assertThat(before).contains("loom_event_outbox_pending{service=\"envelope-service\"}");
        assertThat(before).contains("loom_event_outbox_parked{service=\"envelope-service\"}");
        assertThat(before).containsPattern("kafka_consumer_[a-z_]*lag[a-z_]*\\{[^}]*service=\"envelope-service\"");
        double accepted = value(before, "loom_envelopes_accepted_total", "service=\"api-gateway\"");
        double duplicates = value(before, "loom_envelopes_rejected_total",
                "code=\"ENVELOPE_DUPLICATE\"");
        double latencyCount = value(before, "loom_request_duration_ms_count", "service=\"api-gateway\"");
        long storedBefore = adminStatus().at("/services/envelope-service/store/envelopes").asLong();

        ObjectNode envelope = OperatorClient.message(alice, LoomIds.next(IdPrefix.THREAD), null,
                List.of(bob.identity()), "Counted?");
        expect(client.send("POST", "/v1/envelopes", envelope.toString(), bearer(aliceToken)), 201);
        expect(client.send("POST", "/v1/envelopes", envelope.toString(), bearer(aliceToken)), 409);

        String after = metrics();
        assertThat(value(after, "loom_envelopes_accepted_total", "service=\"api-gateway\"")).isEqualTo(accepted + 1);
        assertThat(value(after, "loom_envelopes_rejected_total", "code=\"ENVELOPE_DUPLICATE\""))
                .isEqualTo(duplicates + 1);
        assertThat(value(after, "loom_request_duration_ms_count", "service=\"api-gateway\""))
                .isGreaterThan(latencyCount);
        JsonNode status = adminStatus();
        assertThat(status.at("/services/envelope-service/store/envelopes").asLong()).isEqualTo(storedBefore + 1);
        assertThat(status.at("/metrics/error_counts/ENVELOPE_DUPLICATE").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(status.at("/readiness/ready").asBoolean()).isTrue();
        assertThat(status.at("/services/envelope-service/event_outbox/pending").isNumber()).isTrue();
        assertThat(status.at("/services/envelope-service/event_outbox/parked").asLong()).isZero();
        assertThat(status.at("/services/envelope-service/event_outbox/parked_events").isArray()).isTrue();
    }

    @Test
    void requestLogCarriesTheRequestIdOfTheErrorBody() throws Exception {
        HttpResponse<String> missing = client.send("GET", "/v1/no-such-route", null, Map.of());
        String requestId = expect(missing, 404).at("/error/request_id").stringValue();

        await().atMost(Duration.ofSeconds(10)).until(() -> logLineFor(requestId) != null);
        JsonNode line = LoomJson.parse(logLineFor(requestId));
        assertThat(line.get("method").stringValue()).isEqualTo("GET");
        assertThat(line.get("path").stringValue()).isEqualTo("/v1/no-such-route");
        assertThat(line.get("status").asInt()).isEqualTo(404);
        assertThat(line.get("error_code").stringValue()).isEqualTo("ENVELOPE_NOT_FOUND");
        assertThat(line.get("client_ip").stringValue()).isEqualTo("127.0.0.1");
    }

    @Test
    void blobUploadedThroughTheGatewayIsStoredUnderTheDataDirectory() throws Exception {
        Person carol = Person.named("carol-blobs");
        String token = client.enrol(carol);
        Map<String, String> once = headers("Authorization", "Bearer " + token, "Idempotency-Key", "blob-create-1");
        String id = expect(client.send("POST", "/v1/blobs", "{\"filename\":\"a.txt\"}", once), 201)
                .get("blob_id").stringValue();
        // The same key again returns the same blob rather than making a second.
        assertThat(expect(client.send("POST", "/v1/blobs", "{\"filename\":\"a.txt\"}", once), 201)
                .get("blob_id").stringValue()).isEqualTo(id);

        String part = "{\"data_base64\":\"" + Base64.getEncoder().encodeToString(
                "blob bytes".getBytes(StandardCharsets.UTF_8)) + "\"}";
        expect(client.send("PUT", "/v1/blobs/" + id + "/parts/1", part, bearer(token)), 200);
        JsonNode done = expect(client.send("POST", "/v1/blobs/" + id + "/complete", null, bearer(token)), 200);
        assertThat(done.get("hash").stringValue()).isEqualTo("sha256:" + Sha256.hex("blob bytes"));
        JsonNode blob = expect(client.send("GET", "/v1/blobs/" + id, null, bearer(token)), 200);
        assertThat(blob.get("data_base64").stringValue())
                .isEqualTo(Base64.getEncoder().encodeToString("blob bytes".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.exists(dataDir.resolve("blobs").resolve(id).resolve("content"))).isTrue();

        Person dave = Person.named("dave-blobs");
        String daveToken = client.enrol(dave);
        assertThat(expect(client.send("GET", "/v1/blobs/" + id, null, bearer(daveToken)), 403)
                .at("/error/code").stringValue()).isEqualTo("CAPABILITY_DENIED");
        expect(client.send("GET", "/v1/blobs/" + id, null, Map.of()), 401);
    }

    private static String logLineFor(String requestId) {
        return requestLog.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.contains("\"req_id\":\"" + requestId + "\"")).findFirst().orElse(null);
    }

    private static String metrics() throws Exception {
        HttpResponse<String> response = client.send("GET", "/metrics", null, ADMIN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow().replace(" ", ""))
                .isEqualTo("text/plain;version=0.0.4;charset=utf-8");
        return response.body();
    }

    private static JsonNode adminStatus() throws Exception {
        return expect(client.send("GET", "/v1/admin/status", null, ADMIN), 200);
    }

    /** The value of the first sample of {@code metric} whose labels contain {@code label}; 0 when there is none. */
    private static double value(String exposition, String metric, String label) {
        Matcher matcher = Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
                .matcher(exposition);
        while (matcher.find()) {
            if (matcher.group(1).contains(label)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return 0;
    }
}
