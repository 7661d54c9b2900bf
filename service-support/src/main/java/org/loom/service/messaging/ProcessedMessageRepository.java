package org.loom.service.messaging;

import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The processed-message record. Consumers go through {@link ProcessedMessages}, not this repository. */
public class ProcessedMessageRepository {

    private final JdbcClient jdbc;

    public ProcessedMessageRepository(JdbcClient jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    /**
     * Inserts the row unless one exists; 1 when inserted, 0 when the id was already recorded. A conflict without a
     * target is the form both PostgreSQL and H2 accept, and it stays correct when two deliveries race: the second
     * insert waits for the first transaction and then does nothing.
     */
    public int insertIfAbsent(String messageId, String topic) {
        return jdbc.sql("INSERT INTO processed_message (message_id, topic) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .params(messageId, topic)
                .update();
    }

    public Optional<ProcessedMessage> find(String messageId) {
        return jdbc.sql("SELECT message_id, topic, processed_at FROM processed_message WHERE message_id = ?")
                .param(messageId)
                .query((row, index) -> new ProcessedMessage(row.getString("message_id"), row.getString("topic"),
                        row.getTimestamp("processed_at").toInstant()))
                .optional();
    }
}
