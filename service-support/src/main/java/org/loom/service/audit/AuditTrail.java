package org.loom.service.audit;

import java.time.Clock;
import java.util.Objects;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuditRecord;
import org.loom.protocol.kafka.Topics;
import org.loom.service.messaging.OutboxEvents;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records that something happened, for the node's one audit chain.
 *
 * <p>Every service calls this inside the transaction that makes the change: the {@link AuditRecord} goes to the
 * service's transactional outbox, so it exists exactly when the change committed. The relay publishes it on the
 * single-partition {@link Topics#AUDIT_RECORDS} topic, keyed by the service's name, and the envelope-service appends it
 * to the hash chain in topic order.
 */
public class AuditTrail {

    private final OutboxEvents outbox;
    private final String service;
    private final Clock clock;

    public AuditTrail(OutboxEvents outbox, @Value("${spring.application.name}") String service,
            ObjectProvider<Clock> clock) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.service = Objects.requireNonNull(service, "service");
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** A fresh, empty payload object to fill and pass to {@link #record}; its key order is kept in the chain. */
    public static ObjectNode payload() {
        return LoomJson.mapper().createObjectNode();
    }

    /**
     * Queues an audit record of {@code action} (e.g. {@code capability.issue}) with {@code payload}, in the caller's
     * transaction.
     *
     * @return the record as it will be published
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public AuditRecord record(String action, ObjectNode payload) {
        AuditRecord record = new AuditRecord(LoomIds.next(IdPrefix.EVENT), service, action,
                payload == null ? payload() : payload, clock.instant());
        outbox.append(Topics.AUDIT_RECORDS, service, record);
        return record;
    }

    /** The name this service signs its records with. */
    public String service() {
        return service;
    }
}
