package org.loom.email.inbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.loom.email.bridge.InboundEmail;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.json.LoomJson;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code email_inbound} table: which envelope an email taken in (by Message-ID, or by idempotency key when it has
 * none, and delivery) became, so that the same email handed over again is answered with that envelope instead of
 * making a second one.
 *
 * <p>The delivery key keeps apart copies of one message that an MTA hands over separately for different recipients
 * (one pipe call per recipient is common): those are different deliveries and each gets its envelope.
 */
@Repository
class InboundSubmissions {

    static final String PENDING = "pending";
    static final String STORED = "stored";

    /**
     * An email the bridge has turned into an envelope.
     *
     * @param envelope the signed envelope as first submitted
     * @param stored   true once the envelope-service's acceptance is known here
     */
    record Submission(String messageId, String deliveryKey, String envelopeId, String threadId, ObjectNode envelope,
            boolean stored, boolean quarantined) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    InboundSubmissions(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The sender and every recipient, each once and in a fixed order, hashed. */
    static String deliveryKey(String sender, InboundEmail email) {
        TreeSet<String> recipients = new TreeSet<>(email.primary());
        recipients.addAll(email.cc());
        recipients.addAll(email.bcc());
        return Sha256.hex(sender + "\n" + String.join("\n", recipients));
    }

    /**
     * What stands in for the Message-ID of an email that has none, when its request carried an idempotency key: the
     * route, the caller and the key, hashed (the key is the caller's own, so another caller's equal key is not the
     * same request). It is written in angle brackets, which a Message-ID as the bridge reads one never contains
     * ({@link org.loom.email.parse.MessageIds} takes them off), so no email can pose as another's key.
     */
    static String keyed(String route, String caller, String idempotencyKey) {
        return "<idempotency-key:" + Sha256.hex(route + "\n" + caller + "\n" + idempotencyKey) + ">";
    }

    Optional<Submission> find(String messageId, String deliveryKey) {
        List<Submission> found = jdbc.query("SELECT message_id, delivery_key, envelope_id, thread_id, envelope_json,"
                        + " status, quarantined FROM email_inbound WHERE message_id = ? AND delivery_key = ?",
                InboundSubmissions::row, messageId, deliveryKey);
        return found.stream().findFirst();
    }

    /** Records a submission about to be made; false when another request recorded this email first. */
    boolean reserve(String messageId, String deliveryKey, String envelopeId, String threadId, ObjectNode envelope) {
        return jdbc.update("INSERT INTO email_inbound (message_id, delivery_key, envelope_id, thread_id, envelope_json,"
                        + " status, quarantined, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                messageId, deliveryKey, envelopeId, threadId, LoomJson.write(envelope), PENDING, false,
                Timestamp.from(clock.instant())) == 1;
    }

    /** The envelope is stored; whether the node quarantined it is now known. */
    void stored(String envelopeId, boolean quarantined) {
        jdbc.update("UPDATE email_inbound SET status = ?, quarantined = ? WHERE envelope_id = ?", STORED, quarantined,
                envelopeId);
    }

    /** The envelope was refused: the email may be built afresh when it comes again. */
    void forget(String envelopeId) {
        jdbc.update("DELETE FROM email_inbound WHERE envelope_id = ? AND status = ?", envelopeId, PENDING);
    }

    private static Submission row(ResultSet rs, int rowNum) throws SQLException {
        return new Submission(rs.getString("message_id"), rs.getString("delivery_key"), rs.getString("envelope_id"),
                rs.getString("thread_id"), (ObjectNode) LoomJson.parse(rs.getString("envelope_json")),
                STORED.equals(rs.getString("status")), rs.getBoolean("quarantined"));
    }
}
