package org.loom.email.index;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.loom.email.bridge.IndexedMessage;
import org.loom.email.bridge.MessageIndex;
import org.loom.email.parse.MessageIds;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The Message-ID ↔ envelope index in the {@code email_message} table. Entries are never changed: the first envelope
 * recorded for a message id keeps it, so a replayed or forged Message-ID cannot move a thread.
 */
@Repository
public class JdbcMessageIndex implements MessageIndex {

    /** Which way the message crossed the bridge. */
    public enum Direction {
        INBOUND, OUTBOUND, SUBMITTED,
        /** The node's own id for an envelope that has another one ({@code envelopeId@nodeId}), for lookups only. */
        ALIAS;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final String COLUMNS = "message_id, envelope_id, thread_id, subject, chain";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JdbcMessageIndex(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records a message id for an envelope; nothing changes when the id is already known. */
    public void record(IndexedMessage message, Direction direction) {
        jdbc.update("INSERT INTO email_message (message_id, envelope_id, thread_id, direction, subject, chain, "
                        + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                message.messageId(), message.envelopeId(), message.threadId(), direction.column(), message.subject(),
                String.join(" ", message.references().stream().map(MessageIds::bracket).toList()),
                Timestamp.from(clock.instant()));
    }

    @Override
    public Optional<IndexedMessage> byMessageId(String messageId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM email_message WHERE message_id = ?", JdbcMessageIndex::row,
                messageId).stream().findFirst();
    }

    /** The first message id recorded for the envelope: the one it arrived with, or the first it went out with. */
    @Override
    public Optional<IndexedMessage> byEnvelopeId(String envelopeId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM email_message WHERE envelope_id = ? "
                        + "AND direction <> 'alias' ORDER BY created_at, message_id", JdbcMessageIndex::row, envelopeId)
                .stream().findFirst();
    }

    private static IndexedMessage row(ResultSet rs, int rowNum) throws SQLException {
        String chain = rs.getString("chain");
        return new IndexedMessage(rs.getString("message_id"), rs.getString("envelope_id"), rs.getString("thread_id"),
                rs.getString("subject"), chain == null || chain.isBlank() ? List.of() : MessageIds.parse(chain));
    }
}
