package org.loom.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loom.delivery.NodeEvents;
import org.loom.delivery.RunningDeliveryWorker;
import org.loom.delivery.TestNodeKey;
import org.loom.delivery.WorkerHttp;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuditRecord;
import org.loom.protocol.kafka.EnvelopeAccepted;
import org.loom.protocol.kafka.Topics;
import org.loom.protocol.time.Timestamps;
import org.loom.protocol.webhook.WebhookSignature;
import org.loom.service.outbox.HttpReceiver;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Webhooks end to end inside the delivery-worker: real records on the broker create deliveries, the automatic worker
 * sends them to real HTTP receivers, signed with the node key; failures back off, dead-letter and requeue.
 */
class WebhookDeliveryTest extends RunningDeliveryWorker {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String FEDERATION_DELIVERED = "federation.outbox.process.delivered";

    @LocalServerPort
    private int port;

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    private WorkerHttp http;
    private NodeEvents events;
    private final List<HttpReceiver> receivers = new ArrayList<>();

    @BeforeEach
    void connect() {
        http = new WorkerHttp(port);
        events = new NodeEvents(bootstrapServers);
    }

    @AfterEach
    void removeWebhooksAndReceivers() {
        for (JsonNode webhook : http.get("/v1/webhooks").body().get("webhooks")) {
            http.delete("/v1/webhooks/" + webhook.get("id").asString());
        }
        receivers.forEach(HttpReceiver::close);
        events.close();
    }

    @Test
    void deliveryIsSignedWithTheNodeKeyAndCarriesTheEvent() {
        HttpReceiver receiver = receiver();
        String webhookId = register(receiver, "[\"" + FEDERATION_DELIVERED + "\"]", 8);
        String otherId = register(receiver(), "[\"email.outbox.requeue\"]", 8);

        AuditRecord audit = events.audit("federation-service", FEDERATION_DELIVERED, marker("signed"));

        await().atMost(TIMEOUT).until(() -> !receiver.received().isEmpty());
        HttpReceiver.Received delivery = receiver.received().get(0);
        assertThat(delivery.path()).isEqualTo("/hooks/in");
        assertThat(delivery.header(WebhookSignature.KEY_ID)).isEqualTo(TestNodeKey.KEY_ID);
        assertThat(delivery.header(WebhookSignature.NONCE)).startsWith("wh_");
        assertThat(delivery.header(WebhookSignature.EVENT_ID)).isEqualTo(audit.messageId());
        assertThat(delivery.header(WebhookSignature.EVENT_TYPE)).isEqualTo(FEDERATION_DELIVERED);
        assertThat(WebhookSignature.verify("/hooks/in", delivery.body(), delivery.header(WebhookSignature.TIMESTAMP),
                delivery.header(WebhookSignature.NONCE), delivery.header(WebhookSignature.SIGNATURE),
                TestNodeKey.KEY.verifyingKey())).isTrue();
        byte[] tampered = delivery.body().clone();
        tampered[tampered.length - 2] ^= 1;
        assertThat(WebhookSignature.verify("/hooks/in", tampered, delivery.header(WebhookSignature.TIMESTAMP),
                delivery.header(WebhookSignature.NONCE), delivery.header(WebhookSignature.SIGNATURE),
                TestNodeKey.KEY.verifyingKey())).isFalse();

        JsonNode body = LoomJson.parse(delivery.body());
        assertThat(LoomJson.mapper().convertValue(body, java.util.Map.class).keySet()).containsExactly(
                "loom", "delivery_id", "event_id", "event_type", "timestamp", "node_id", "payload");
        assertThat(body.get("loom").asString()).isEqualTo("1.1");
        assertThat(body.get("delivery_id").asString()).isEqualTo(delivery.header(WebhookSignature.DELIVERY_ID))
                .startsWith("wout_");
        assertThat(body.get("event_id").asString()).isEqualTo(audit.messageId());
        assertThat(body.get("node_id").asString()).isEqualTo(TestNodeKey.NODE_ID);
        assertThat(body.at("/payload/action").asString()).isEqualTo(FEDERATION_DELIVERED);
        assertThat(body.at("/payload/data/marker").asString()).isEqualTo("signed");
        assertThat(body.at("/payload/audit/event_id").asString()).isEqualTo(audit.messageId());

        JsonNode item = await().atMost(TIMEOUT).until(() -> onlyItemOf(webhookId),
                found -> found != null && found.get("status").asString().equals("delivered"));
        assertThat(item.get("id").asString()).isEqualTo(body.get("delivery_id").asString());
        assertThat(item.get("attempts").asInt()).isEqualTo(1);
        assertThat(http.get("/v1/webhooks/outbox?webhook_id=" + otherId).body().get("outbox")).isEmpty();
        assertThat(http.get("/v1/webhooks").body().get("webhooks")).anySatisfy(webhook -> {
            assertThat(webhook.get("id").asString()).isEqualTo(webhookId);
            assertThat(webhook.get("last_delivery_at").isNull()).isFalse();
        });
    }

    @Test
    void receiverDownIsRetriedWithBackoffThenDeadLetteredThenRequeuedAndSeenExactlyOnce() {
        HttpReceiver receiver = receiver();
        receiver.fail();
        String webhookId = register(receiver, "[\"" + FEDERATION_DELIVERED + "\"]", 3);

        events.audit("federation-service", FEDERATION_DELIVERED, marker("retried"));

        JsonNode retrying = await().atMost(TIMEOUT).until(() -> onlyItemOf(webhookId),
                found -> found != null && found.get("attempts").asInt() == 1);
        assertThat(retrying.get("status").asString()).isEqualTo("queued");
        assertThat(retrying.get("last_http_status").asInt()).isEqualTo(503);
        assertThat(retrying.get("last_error").asString()).startsWith("Webhook response 503");
        assertThat(Timestamps.parse(retrying.get("next_attempt_at").asString()).orElseThrow())
                .isAfter(Timestamps.parse(retrying.get("updated_at").asString()).orElseThrow().plusMillis(200));

        JsonNode failed = await().atMost(TIMEOUT).until(() -> onlyItemOf(webhookId),
                found -> found.get("status").asString().equals("failed"));
        String itemId = failed.get("id").asString();
        assertThat(failed.get("attempts").asInt()).isEqualTo(3);
        assertThat(failed.get("next_attempt_at").isNull()).isTrue();
        assertThat(http.get("/v1/outbox/dlq?kind=webhook").body().get("entries"))
                .anySatisfy(entry -> {
                    assertThat(entry.get("id").asString()).isEqualTo(itemId);
                    assertThat(entry.get("kind").asString()).isEqualTo("webhook");
                    assertThat(entry.at("/item/status").asString()).isEqualTo("failed");
                });
        assertThat(receiver.taken(itemId)).isZero();

        receiver.accept();
        WorkerHttp.Answer requeued = http.post("/v1/outbox/dlq/requeue",
                "{\"kind\":\"webhook\",\"id\":\"" + itemId + "\"}");

        assertThat(requeued.status()).isEqualTo(200);
        assertThat(requeued.body().get("kind").asString()).isEqualTo("webhook");
        assertThat(requeued.body().at("/item/status").asString()).isEqualTo("queued");
        assertThat(requeued.body().at("/item/attempts").asInt()).isZero();
        await().atMost(TIMEOUT).until(() -> onlyItemOf(webhookId).get("status").asString().equals("delivered"));
        assertThat(receiver.taken(itemId)).isEqualTo(1);
        assertThat(http.post("/v1/webhooks/outbox/" + itemId + "/process", "").body().get("status").asString())
                .isEqualTo("delivered");
        assertThat(receiver.taken(itemId)).isEqualTo(1);
        assertThat(http.get("/v1/outbox/dlq?kind=webhook").body().get("entries"))
                .noneSatisfy(entry -> assertThat(entry.get("id").asString()).isEqualTo(itemId));
    }

    @Test
    void receiverThatIsDownDoesNotHoldUpDeliveriesToAnotherReceiver() {
        HttpReceiver down = receiver();
        String downWebhook = register(down, "[\"" + FEDERATION_DELIVERED + "\"]", 8);
        down.close();
        HttpReceiver up = receiver();
        String upWebhook = register(up, "[\"" + FEDERATION_DELIVERED + "\"]", 8);

        for (int i = 0; i < 5; i++) {
            events.audit("federation-service", FEDERATION_DELIVERED, marker("isolation-" + i));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode items = http.get("/v1/webhooks/outbox?webhook_id=" + upWebhook).body().get("outbox");
            int delivered = 0;
            for (JsonNode item : items) {
                delivered += item.get("status").asString().equals("delivered") ? 1 : 0;
            }
            return delivered == 5;
        });
        assertThat(up.received()).hasSize(5);
        JsonNode backingOff = http.get("/v1/webhooks/outbox?webhook_id=" + downWebhook).body().get("outbox");
        assertThat(backingOff).hasSize(5).allSatisfy(item -> {
            assertThat(item.get("status").asString()).isEqualTo("queued");
            assertThat(item.get("delivered_at").isNull()).isTrue();
        });
        await().atMost(TIMEOUT).until(() -> {
            JsonNode items = http.get("/v1/webhooks/outbox?webhook_id=" + downWebhook).body().get("outbox");
            for (JsonNode item : items) {
                if (item.get("attempts").asInt() < 1) {
                    return false;
                }
            }
            return true;
        });
        for (JsonNode item : http.get("/v1/webhooks/outbox?webhook_id=" + downWebhook).body().get("outbox")) {
            if (item.get("status").asString().equals("queued")) {
                assertThat(item.get("last_error").asString()).isNotBlank();
            }
        }
    }

    @Test
    void acceptedEnvelopesBecomeEnvelopeAcceptedAndThreadOperationsAlsoThreadUpdatedEvents() {
        HttpReceiver receiver = receiver();
        register(receiver, "[\"envelope.accepted\", \"thread.updated\"]", 8);
        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode envelope = LoomJson.mapper().createObjectNode();
        envelope.put("id", LoomIds.next(IdPrefix.ENVELOPE));
        envelope.put("thread_id", threadId);
        envelope.put("type", "thread_op");

        events.publish(Topics.ENVELOPE_EVENTS, threadId, new EnvelopeAccepted("msg_" + UUID.randomUUID(), threadId,
                envelope.get("id").asString(), 2, envelope));

        await().atMost(TIMEOUT).until(() -> receiver.received().size() == 2);
        assertThat(receiver.received()).extracting(r -> r.header(WebhookSignature.EVENT_TYPE))
                .containsExactlyInAnyOrder("envelope.accepted", "thread.updated");
        assertThat(receiver.received()).allSatisfy(r -> assertThat(
                LoomJson.parse(r.body()).at("/payload/data/thread_id").asString()).isEqualTo(threadId));
    }

    private HttpReceiver receiver() {
        HttpReceiver receiver = HttpReceiver.start("/", WebhookSignature.DELIVERY_ID);
        receivers.add(receiver);
        return receiver;
    }

    private String register(HttpReceiver receiver, String events, int maxAttempts) {
        WorkerHttp.Answer answer = http.post("/v1/webhooks", "{\"url\":\"" + receiver.url("/hooks/in")
                + "\",\"events\":" + events + ",\"max_attempts\":" + maxAttempts + ",\"timeout_ms\":2000}");
        assertThat(answer.status()).isEqualTo(201);
        return answer.body().get("id").asString();
    }

    private JsonNode onlyItemOf(String webhookId) {
        JsonNode items = http.get("/v1/webhooks/outbox?webhook_id=" + webhookId).body().get("outbox");
        assertThat(items.size()).isLessThanOrEqualTo(1);
        return items.isEmpty() ? null : items.get(0);
    }

    private static ObjectNode marker(String marker) {
        ObjectNode payload = LoomJson.mapper().createObjectNode();
        payload.put("outbox_id", LoomIds.next(IdPrefix.FEDERATION_OUTBOX));
        payload.put("marker", marker);
        payload.put("at", Instant.now().toString());
        return payload;
    }
}
