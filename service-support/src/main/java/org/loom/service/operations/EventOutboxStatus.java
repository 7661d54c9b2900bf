package org.loom.service.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Timestamp;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How far the service's transactional outbox is behind: events written but not yet published to Kafka. A depth that
 * keeps growing means the relay cannot reach the broker. Reported as {@code event_outbox} in the status report and as
 * the {@code loom_event_outbox_pending} gauge.
 */
public class EventOutboxStatus implements ServiceStatusContributor, MeterBinder {

    private final JdbcClient jdbc;

    public EventOutboxStatus(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "event_outbox";
    }

    /** Events not yet published. */
    public long pending() {
        return jdbc.sql("SELECT COUNT(*) FROM outbox_event WHERE published_at IS NULL").query(Long.class).single();
    }

    @Override
    public JsonNode status() {
        ObjectNode status = LoomJson.mapper().createObjectNode();
        status.put("pending", pending());
        Timestamp oldest = jdbc.sql("SELECT MIN(created_at) FROM outbox_event WHERE published_at IS NULL")
                .query(Timestamp.class).optional().orElse(null);
        status.put("oldest_pending_at", oldest == null ? null : Timestamps.format(oldest.toInstant()));
        return status;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("loom.event.outbox.pending", this, status -> status.pending())
                .description("Events written to the transactional outbox and not yet published to Kafka")
                .register(registry);
    }
}
