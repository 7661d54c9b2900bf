package org.loom.protocol.kafka;

import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Something a service did that belongs in the audit log. Produced by every service on the single-partition
 * {@link Topics#AUDIT_RECORDS}, keyed by the service name; consumed by the envelope-service, which appends records to
 * the one audit hash chain in topic order.
 *
 * @param messageId  unique per record
 * @param service    the producing service's name (e.g. {@code api-gateway})
 * @param action     the audit action (e.g. {@code identity.register})
 * @param payload    the action's details, a JSON object whose key order is kept: the chain hashes it as written
 * @param occurredAt when the action was committed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AuditRecord(String messageId, String service, String action, JsonNode payload, Instant occurredAt)
        implements LoomMessage {

    public AuditRecord {
        Checks.messageId(messageId);
        Checks.text(service, "service");
        Checks.text(action, "action");
        if (Checks.present(payload, "payload").isObject()) {
            payload = payload.deepCopy();
        } else {
            throw new IllegalArgumentException("payload must be a JSON object");
        }
        Checks.present(occurredAt, "occurred_at");
    }
}
