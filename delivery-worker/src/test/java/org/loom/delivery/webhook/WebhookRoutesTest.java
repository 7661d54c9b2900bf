package org.loom.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loom.delivery.RunningDeliveryWorker;
import org.loom.delivery.WorkerHttp;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The webhook and dead-letter routes' answers to good and bad requests. */
class WebhookRoutesTest extends RunningDeliveryWorker {

    @LocalServerPort
    private int port;

    private WorkerHttp http;

    @BeforeEach
    void connect() {
        http = new WorkerHttp(port);
    }

    @Test
    void registrationNormalisesTheUrlAndAppliesTheReferenceDefaultsAndClamps() {
        WorkerHttp.Answer created = http.post("/v1/webhooks",
                "{\"url\":\"HTTPS://Hooks.Example.COM\",\"events\":[\" email.outbox.requeue \",\"email.outbox.requeue\","
                        + "\"\"],\"max_attempts\":99,\"timeout_ms\":10}");

        assertThat(created.status()).isEqualTo(201);
        JsonNode webhook = created.body();
        assertThat(webhook.get("id").asString()).startsWith("wh_");
        assertThat(webhook.get("url").asString()).isEqualTo("https://hooks.example.com/");
        assertThat(webhook.get("events")).extracting(JsonNode::asString).containsExactly("email.outbox.requeue");
        assertThat(webhook.get("active").asBoolean()).isTrue();
        assertThat(webhook.get("max_attempts").asInt()).isEqualTo(20);
        assertThat(webhook.get("timeout_ms").asInt()).isEqualTo(250);
        assertThat(webhook.get("last_delivery_at").isNull()).isTrue();

        WorkerHttp.Answer defaults = http.post("/v1/webhooks", "{\"url\":\"http://hooks.example.com:8080/in?x=1\"}");
        assertThat(defaults.body().get("events")).extracting(JsonNode::asString).containsExactly("*");
        assertThat(defaults.body().get("max_attempts").asInt()).isEqualTo(8);
        assertThat(defaults.body().get("timeout_ms").asInt()).isEqualTo(5000);
        assertThat(defaults.body().get("url").asString()).isEqualTo("http://hooks.example.com:8080/in?x=1");

        assertThat(http.get("/v1/webhooks").body().get("webhooks")).extracting(w -> w.get("id").asString())
                .contains(webhook.get("id").asString(), defaults.body().get("id").asString());
        WorkerHttp.Answer deleted = http.delete("/v1/webhooks/" + webhook.get("id").asString());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body().get("deleted").asBoolean()).isTrue();
        assertThat(deleted.body().get("webhook_id").asString()).isEqualTo(webhook.get("id").asString());
        http.delete("/v1/webhooks/" + defaults.body().get("id").asString());
    }

    @Test
    void aKeyedRegistrationSentAgainIsAnsweredWithTheWebhookItRegistered() {
        String body = "{\"url\":\"https://hooks.example.com/retried\",\"events\":[\"envelope.accepted\"]}";
        String key = "register-" + System.nanoTime();

        WorkerHttp.Answer first = http.post("/v1/webhooks", body, key);
        WorkerHttp.Answer again = http.post("/v1/webhooks", body, key);
        WorkerHttp.Answer otherBody = http.post("/v1/webhooks",
                "{\"url\":\"https://hooks.example.com/other\"}", key);
        WorkerHttp.Answer unkeyed = http.post("/v1/webhooks", body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        String id = first.body().get("id").asString();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(otherBody.body().get("id").asString()).as("the same key with another body").isNotEqualTo(id);
        assertThat(unkeyed.body().get("id").asString()).as("a request without a key").isNotEqualTo(id);
        assertThat(http.get("/v1/webhooks").body().get("webhooks")).filteredOn(w -> w.get("id").asString().equals(id))
                .hasSize(1);
        for (WorkerHttp.Answer made : List.of(first, otherBody, unkeyed)) {
            http.delete("/v1/webhooks/" + made.body().get("id").asString());
        }
    }

    @Test
    void badRegistrationsAreRefusedWithProtocolErrors() {
        assertInvalid(http.post("/v1/webhooks", "{}"));
        assertInvalid(http.post("/v1/webhooks", "{\"url\":\"ftp://example.com/\"}"));
        assertInvalid(http.post("/v1/webhooks", "{\"url\":\"not a url\"}"));
        assertInvalid(http.post("/v1/webhooks", "{\"url\":\"https://example.com/\",\"events\":\"*\"}"));
        assertInvalid(http.post("/v1/webhooks", "{\"url\":\"https://example.com/\",\"active\":\"yes\"}"));
        assertInvalid(http.post("/v1/webhooks", "[1,2]"));
        assertInvalid(http.post("/v1/webhooks", "{not json"));
    }

    @Test
    void unknownWebhooksAndItemsAreNotFound() {
        assertError(http.delete("/v1/webhooks/wh_missing"), 404, "ENVELOPE_NOT_FOUND");
        assertError(http.post("/v1/webhooks/outbox/wout_missing/process", ""), 404, "ENVELOPE_NOT_FOUND");
        assertError(http.post("/v1/outbox/dlq/requeue", "{\"kind\":\"webhook\",\"id\":\"wout_missing\"}"), 404,
                "ENVELOPE_NOT_FOUND");
    }

    @Test
    void requeueOfAFederationOrEmailItemWhoseServiceCannotBeReachedIsABadGatewayNotAServerError() {
        WorkerHttp.Answer federation = http.post("/v1/outbox/dlq/requeue",
                "{\"kind\":\"federation\",\"outbox_id\":\"fout_missing\"}");
        assertError(federation, 502, "NODE_UNREACHABLE");
        assertThat(federation.body().at("/error/details/service").asString()).isEqualTo("federation-service");
        WorkerHttp.Answer email = http.post("/v1/outbox/dlq/requeue", "{\"kind\":\"email\",\"id\":\"eout_1\"}");
        assertError(email, 502, "NODE_UNREACHABLE");
        assertThat(email.body().at("/error/details/service").asString()).isEqualTo("email-bridge");
    }

    @Test
    void requeueNeedsAnIdAndAKnownKind() {
        assertInvalid(http.post("/v1/outbox/dlq/requeue", "{\"kind\":\"webhook\"}"));
        WorkerHttp.Answer badKind = http.post("/v1/outbox/dlq/requeue", "{\"kind\":\"sms\",\"id\":\"x\"}");
        assertInvalid(badKind);
        assertThat(badKind.body().at("/error/message").asString())
                .isEqualTo("kind must be 'email', 'federation', or 'webhook'");
    }

    @Test
    void deadLetterListingTreatsAnUnknownKindAsAllAndBatchProcessingAnswersCounts() {
        WorkerHttp.Answer all = http.get("/v1/outbox/dlq?kind=nonsense&limit=abc");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().get("entries").isArray()).isTrue();
        WorkerHttp.Answer processed = http.post("/v1/webhooks/outbox/process", "{\"limit\":5}");
        assertThat(processed.status()).isEqualTo(200);
        assertThat(processed.body().get("processed_count").asInt()).isEqualTo(
                processed.body().get("processed").size());
        assertError(http.get("/v1/webhooks/outbox?status=exploded"), 400, "ENVELOPE_INVALID");
    }

    @Test
    void aBatchLimitThatIsNoNumberMeansTheDefault() {
        for (String limit : new String[] {"{}", "[1]", "\"abc\"", "1e400", "null"}) {
            WorkerHttp.Answer processed = http.post("/v1/webhooks/outbox/process", "{\"limit\":" + limit + "}");

            assertThat(processed.status()).as(limit).isEqualTo(200);
        }
    }

    private static void assertInvalid(WorkerHttp.Answer answer) {
        assertError(answer, 400, "ENVELOPE_INVALID");
    }

    private static void assertError(WorkerHttp.Answer answer, int status, String code) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body().at("/error/code").asString()).isEqualTo(code);
        assertThat(answer.body().at("/error/request_id").asString()).isNotBlank();
    }
}
