package org.loom.delivery.webhook;

import java.time.Clock;
import org.loom.delivery.node.NodeKey;
import org.loom.delivery.outbound.OutboundAddressPolicy;
import org.loom.protocol.kafka.DeadLetter;
import org.loom.service.audit.AuditTrail;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.Outboxes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook outbox: the shared outbox component with the webhook deliverer, tuned by {@code loom.webhook.outbox}. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    static final String SETTINGS_PREFIX = "loom.webhook.outbox";

    @Bean
    Outbox webhookOutbox(Outboxes outboxes, WebhookStore webhooks, NodeKey nodeKey, OutboundAddressPolicy outbound,
            AuditTrail audit) {
        return outboxes.create(DeadLetter.KIND_WEBHOOK, SETTINGS_PREFIX,
                new WebhookDeliverer(webhooks, nodeKey, outbound, audit, Clock.systemUTC()));
    }
}
