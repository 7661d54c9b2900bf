package org.loom.delivery.webhook;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.loom.protocol.json.LoomJson;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** The {@code webhook} table. */
@Component
public class WebhookStore {

    private static final String COLUMNS = "id, url, events, active, max_attempts, timeout_ms, created_at, updated_at,"
            + " last_delivery_at, last_error";

    private final JdbcTemplate jdbc;

    WebhookStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param requestKey the digest of the registering request's idempotency key and body, or null when it had none
     * @throws org.springframework.dao.DataIntegrityViolationException when a webhook has that request key already
     */
    void insert(Webhook webhook, String requestKey) {
        var events = LoomJson.mapper().createArrayNode();
        webhook.events().forEach(events::add);
        jdbc.update("INSERT INTO webhook (" + COLUMNS + ", request_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                webhook.id(), webhook.url().toString(), LoomJson.write(events), webhook.active(),
                webhook.maxAttempts(), webhook.timeoutMs(), time(webhook.createdAt()), time(webhook.updatedAt()),
                time(webhook.lastDeliveryAt()), webhook.lastError(), requestKey);
    }

    /** The webhook a keyed request registered. */
    Optional<Webhook> findByRequestKey(String requestKey) {
        return jdbc.query("SELECT " + COLUMNS + " FROM webhook WHERE request_key = ?", this::webhook, requestKey)
                .stream().findFirst();
    }

    public Optional<Webhook> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM webhook WHERE id = ?", this::webhook, id).stream().findFirst();
    }

    /** Every webhook, oldest first. */
    public List<Webhook> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM webhook ORDER BY created_at, id", this::webhook);
    }

    boolean delete(String id) {
        return jdbc.update("DELETE FROM webhook WHERE id = ?", id) == 1;
    }

    void recordDelivery(String id, Instant at) {
        jdbc.update("UPDATE webhook SET last_delivery_at = ?, last_error = NULL WHERE id = ?", time(at), id);
    }

    void recordFailure(String id, String error) {
        jdbc.update("UPDATE webhook SET last_error = ? WHERE id = ?", error, id);
    }

    private Webhook webhook(ResultSet rs, int row) throws SQLException {
        List<String> events = new ArrayList<>();
        for (JsonNode event : LoomJson.parse(rs.getString("events"))) {
            events.add(event.asString());
        }
        return new Webhook(rs.getString("id"), URI.create(rs.getString("url")), events, rs.getBoolean("active"),
                rs.getInt("max_attempts"), rs.getInt("timeout_ms"), instant(rs, "created_at"),
                instant(rs, "updated_at"), instant(rs, "last_delivery_at"), rs.getString("last_error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
