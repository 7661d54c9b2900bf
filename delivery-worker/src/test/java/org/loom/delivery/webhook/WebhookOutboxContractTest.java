package org.loom.delivery.webhook;

import java.time.Instant;
import org.loom.delivery.TestNodeKey;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.webhook.WebhookSignature;
import org.loom.service.outbox.HttpReceiver;
import org.loom.service.outbox.NewOutboxItem;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.OutboxContract;
import org.loom.service.outbox.OutboxDestination;
import org.loom.testsupport.LoomTestProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ObjectNode;

/** The outbox contract for webhook deliveries: signed POSTs to real HTTP receivers. */
@SpringBootTest(properties = {
        "loom.outbound.allow-private-cidrs=127.0.0.0/8",
        "loom.outbox.relay-interval-ms=100",
        "loom.webhook.outbox.auto-process-interval-ms=0",
        "loom.webhook.outbox.base-backoff-ms=500",
        "loom.webhook.outbox.max-backoff-ms=2000",
        "loom.webhook.outbox.jitter-ratio=0.5",
        "loom.webhook.outbox.parallelism=4",
        "loom.webhook.outbox.attempt-timeout-ms=4000",
        "loom.webhook.outbox.lease-ms=12000"})
class WebhookOutboxContractTest extends OutboxContract {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LoomTestProperties.register(registry, "delivery-worker");
        registry.add("loom.node.signing-private-key-pem", TestNodeKey.KEY::toPkcs8Pem);
        registry.add("loom.node.signing-key-id", () -> TestNodeKey.KEY_ID);
    }

    @Autowired
    private Outbox outbox;

    @Autowired
    private WebhookStore webhooks;

    @Override
    protected Outbox outbox() {
        return outbox;
    }

    @Override
    protected OutboxDestination newDestination() {
        return HttpReceiver.start("/", WebhookSignature.DELIVERY_ID);
    }

    @Override
    protected String enqueue(OutboxDestination destination, Integer maxAttempts, Instant expiresAt) {
        var url = ((HttpReceiver) destination).url("/hook");
        Instant now = Instant.now();
        Webhook webhook = new Webhook(LoomIds.next(IdPrefix.WEBHOOK), url, java.util.List.of("*"), true,
                maxAttempts == null ? 8 : maxAttempts, 5000, now, now, null, null);
        webhooks.insert(webhook, null);
        ObjectNode fields = LoomJson.mapper().createObjectNode();
        fields.put("webhook_id", webhook.id());
        fields.put("event_id", LoomIds.next(IdPrefix.EVENT));
        fields.put("event_type", "federation.outbox.process.delivered");
        fields.putObject("payload").put("action", "federation.outbox.process.delivered");
        fields.put("timeout_ms", 5000);
        String id = LoomIds.next(IdPrefix.WEBHOOK_OUTBOX);
        outbox.enqueue(new NewOutboxItem(id, url.toString(), fields, maxAttempts, expiresAt));
        return id;
    }
}
