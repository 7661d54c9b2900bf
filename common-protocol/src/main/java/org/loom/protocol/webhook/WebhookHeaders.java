package org.loom.protocol.webhook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The headers of a signed webhook delivery.
 *
 * @param eventId    {@code x-loom-event-id}
 * @param deliveryId {@code x-loom-delivery-id}
 * @param eventType  {@code x-loom-event-type}
 * @param keyId      {@code x-loom-key-id}
 * @param timestamp  {@code x-loom-timestamp}
 * @param nonce      {@code x-loom-nonce}
 * @param signature  {@code x-loom-signature}, base64url text
 */
public record WebhookHeaders(String eventId, String deliveryId, String eventType, String keyId, String timestamp,
        String nonce, String signature) {

    public WebhookHeaders {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(signature, "signature");
    }

    /** The headers to send, with the JSON content type first, in a stable order. */
    public Map<String, String> asMap() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put(WebhookSignature.EVENT_ID, eventId);
        headers.put(WebhookSignature.DELIVERY_ID, deliveryId);
        headers.put(WebhookSignature.EVENT_TYPE, eventType);
        headers.put(WebhookSignature.KEY_ID, keyId);
        headers.put(WebhookSignature.TIMESTAMP, timestamp);
        headers.put(WebhookSignature.NONCE, nonce);
        headers.put(WebhookSignature.SIGNATURE, signature);
        return Collections.unmodifiableMap(headers);
    }
}
