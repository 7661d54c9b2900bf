package org.loom.service.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.messaging.OutboxRelay;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How far the service's transactional outbox is behind: events written but not yet published to Kafka. A depth that
 * keeps growing means the relay cannot reach the broker. Reported as {@code event_outbox} in the status report and as
 * the {@code loom_event_outbox_pending} gauge. Events the broker refused outright and the relay parked
 * ({@link OutboxRelay#PARKED_AT}) are reported too, the most recent by id, topic and key, and counted by the
 * {@code loom_event_outbox_parked} gauge: each one is an event no consumer has seen.
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

    private static final int PARKED_LISTED = 20;

    /** Events not yet published. */
    public long pending() {
        return jdbc.sql("SELECT COUNT(*) FROM outbox_event WHERE published_at IS NULL").query(Long.class).single();
    }

    /** Events the relay parked because the broker refused them. */
    public long parked() {
        return jdbc.sql("SELECT COUNT(*) FROM outbox_event WHERE published_at = ?").param(parkedAt())
                .query(Long.class).single();
    }

    @Override
    public JsonNode status() {
        ObjectNode status = LoomJson.mapper().createObjectNode();
        status.put("pending", pending());
        Timestamp oldest = jdbc.sql("SELECT MIN(created_at) FROM outbox_event WHERE published_at IS NULL")
                .query(Timestamp.class).optional().orElse(null);
        status.put("oldest_pending_at", oldest == null ? null : Timestamps.format(oldest.toInstant()));
        status.put("parked", parked());
        ArrayNode parkedEvents = status.putArray("parked_events");
        parkedEvents.addAll(jdbc.sql("SELECT id, message_id, topic, record_key, message_type, created_at FROM outbox_event"
                + " WHERE published_at = ? ORDER BY id DESC LIMIT " + PARKED_LISTED).param(parkedAt())
                .query((rs, n) -> LoomJson.mapper().createObjectNode()
                        .put("id", rs.getLong("id"))
                        .put("message_id", rs.getString("message_id"))
                        .put("topic", rs.getString("topic"))
                        .put("key", rs.getString("record_key"))
                        .put("message_type", rs.getString("message_type"))
                        .put("created_at", Timestamps.format(rs.getTimestamp("created_at").toInstant())))
                .list());
        return status;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("loom.event.outbox.pending", this, status -> status.pending())
                .description("Events written to the transactional outbox and not yet published to Kafka")
                .register(registry);
        Gauge.builder("loom.event.outbox.parked", this, status -> status.parked())
                .description("Events the broker refused outright, parked by the relay and never published")
                .register(registry);
    }

    private static OffsetDateTime parkedAt() {
        return OffsetDateTime.ofInstant(OutboxRelay.PARKED_AT, ZoneOffset.UTC);
    }
}
