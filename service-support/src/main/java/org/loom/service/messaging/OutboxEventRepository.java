package org.loom.service.messaging;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * The {@code outbox_event} table, in plain SQL: events are written once on the hot path of every command and read
 * back by the relay ({@link OutboxRelay}), which has its own statements.
 */
public class OutboxEventRepository {

    private static final String INSERT = "INSERT INTO outbox_event"
            + " (message_id, topic, record_key, record_partition, message_type, payload, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";

    private final JdbcClient jdbc;

    public OutboxEventRepository(JdbcClient jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    /** Writes an event that has no id yet, in the caller's transaction, and returns it with the id it was given. */
    public OutboxEvent insert(OutboxEvent event) {
        if (event.id() != null) {
            throw new IllegalArgumentException("event " + event.messageId() + " is already stored as " + event.id());
        }
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql(INSERT)
                .params(event.messageId(), event.topic(), event.recordKey(), event.recordPartition(),
                        event.messageType(), event.payload(), OffsetDateTime.ofInstant(event.createdAt(),
                                ZoneOffset.UTC))
                .update(key, "id");
        return event.withId(Objects.requireNonNull(key.getKey(), "generated id").longValue());
    }

    public Optional<OutboxEvent> findByMessageId(String messageId) {
        return jdbc.sql("SELECT id, message_id, topic, record_key, record_partition, message_type, payload, created_at,"
                        + " published_at FROM outbox_event WHERE message_id = ?")
                .param(messageId)
                .query(OutboxEventRepository::event)
                .optional();
    }

    private static OutboxEvent event(ResultSet row, int index) throws SQLException {
        int partition = row.getInt("record_partition");
        return new OutboxEvent(row.getLong("id"), row.getString("message_id"), row.getString("topic"),
                row.getString("record_key"), row.wasNull() ? null : partition, row.getString("message_type"),
                row.getString("payload"), instant(row.getTimestamp("created_at")),
                instant(row.getTimestamp("published_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
