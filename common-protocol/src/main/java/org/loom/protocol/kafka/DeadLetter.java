package org.loom.protocol.kafka;

import java.time.Instant;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * An outbox item that exhausted its attempts or its time to live. Produced by the service owning the outbox
 * (federation-service, email-bridge, delivery-worker) on the kind's dead-letter topic ({@link Topics#deadLetters}),
 * keyed by item id; consumed by operators' tooling and the delivery-worker's dead-letter view. The item itself stays in
 * its outbox, where it can be requeued.
 *
 * @param messageId unique per record
 * @param kind      the outbox kind: {@link #KIND_FEDERATION}, {@link #KIND_EMAIL} or {@link #KIND_WEBHOOK}
 * @param itemId    the outbox item's id
 * @param reason    why the last attempt failed
 * @param attempts  how many deliveries were tried
 * @param payload   the outbox item as the owning service lists it, a JSON object
 * @param failedAt  when the item was given up on
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeadLetter(
        String messageId,
        String kind,
        String itemId,
        String reason,
        int attempts,
        JsonNode payload,
        Instant failedAt) implements LoomMessage {

    public static final String KIND_FEDERATION = "federation";
    public static final String KIND_EMAIL = "email";
    public static final String KIND_WEBHOOK = "webhook";

    private static final Set<String> KINDS = Set.of(KIND_FEDERATION, KIND_EMAIL, KIND_WEBHOOK);

    public DeadLetter {
        Checks.messageId(messageId);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be federation, email or webhook, got " + kind);
        }
        Checks.text(itemId, "item_id");
        Checks.text(reason, "reason");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts cannot be negative");
        }
        if (Checks.present(payload, "payload").isObject()) {
            payload = payload.deepCopy();
        } else {
            throw new IllegalArgumentException("payload must be a JSON object");
        }
        Checks.present(failedAt, "failed_at");
    }

    /** The topic this dead letter is published on. */
    public Topic topic() {
        return Topics.deadLetters(kind);
    }
}
