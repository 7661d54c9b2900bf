package org.loom.protocol.webhook;

import java.util.Objects;

/**
 * Which event a webhook delivery carries.
 *
 * @param eventId    the audit event id ({@code evt_})
 * @param deliveryId the webhook outbox item id ({@code wout_})
 * @param eventType  the audit action
 */
public record WebhookEvent(String eventId, String deliveryId, String eventType) {

    public WebhookEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(eventType, "eventType");
    }
}
