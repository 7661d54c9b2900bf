package org.loom.delivery.dlq;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.DeadLetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The dead letters of the outboxes other services own (federation, email), as their dead-letter topics report them.
 * An entry leaves when a requeue through the dead-letter routes succeeds, or when the owning service's audit record
 * says the item was requeued (also by the owner's own routes); a new dead letter of the same item brings it back.
 */
@Component
public class DeadLetterView {

    private final JdbcTemplate jdbc;

    DeadLetterView(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records (or refreshes) a dead letter; in the caller's transaction. */
    void put(DeadLetter letter) {
        jdbc.update("DELETE FROM dead_letter_view WHERE item_id = ?", letter.itemId());
        jdbc.update("INSERT INTO dead_letter_view (item_id, kind, reason, attempts, item, failed_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", letter.itemId(), letter.kind(), letter.reason(), letter.attempts(),
                LoomJson.write(letter.payload()), OffsetDateTime.ofInstant(letter.failedAt(), ZoneOffset.UTC));
    }

    /**
     * Drops an entry whose item its owning service requeued at {@code requeuedAt} (that service's clock, as the dead
     * letter's time is). A dead letter of a later failure stays: the report of a requeue may arrive after the item
     * already died again, since the two come from different topics.
     */
    public void forget(String itemId, Instant requeuedAt) {
        jdbc.update("DELETE FROM dead_letter_view WHERE item_id = ? AND failed_at <= ?", itemId,
                OffsetDateTime.ofInstant(requeuedAt, ZoneOffset.UTC));
    }

    /** Entries of one kind, most recently failed first. */
    List<Entry> list(String kind, int limit) {
        return jdbc.query("SELECT item_id, kind, item, failed_at FROM dead_letter_view WHERE kind = ?"
                + " ORDER BY failed_at DESC, item_id ASC LIMIT ?", this::entry, kind, limit);
    }

    Optional<Entry> find(String kind, String itemId) {
        return jdbc.query("SELECT item_id, kind, item, failed_at FROM dead_letter_view WHERE kind = ? AND item_id = ?",
                this::entry, kind, itemId).stream().findFirst();
    }

    private Entry entry(ResultSet rs, int row) throws SQLException {
        return new Entry(rs.getString("kind"), rs.getString("item_id"), LoomJson.parse(rs.getString("item")),
                rs.getObject("failed_at", OffsetDateTime.class).toInstant());
    }

    /** One dead letter as the view keeps it. */
    record Entry(String kind, String itemId, JsonNode item, Instant failedAt) {
    }
}
