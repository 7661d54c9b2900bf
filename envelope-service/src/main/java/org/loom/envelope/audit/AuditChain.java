package org.loom.envelope.audit;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.loom.protocol.audit.AuditEntry;
import org.loom.protocol.kafka.AuditRecord;
import org.loom.protocol.time.Timestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * The node's one audit hash chain (spec §25.1), in the {@code audit_entry}, {@code audit_subject} and
 * {@code audit_chain_head} tables.
 */
@Repository
public class AuditChain {

    /** How many links verification reads at a time. */
    static final int VERIFY_BATCH = 1000;

    private final JdbcClient jdbc;

    public AuditChain(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored link. */
    public record StoredLink(long seq, String eventId, AuditEntry entry) {

        /** The link as the API shows it, written from the stored text without re-serialising it. */
        public String json() {
            String text = entry.hashedText();
            return text.substring(0, text.length() - 1) + ",\"hash\":\"" + entry.hash() + "\"}";
        }
    }

    /** The outcome of checking the whole chain. */
    public record Verification(long checked, Optional<Long> headSeq, Optional<String> headHash,
            Optional<Broken> firstBroken) {
    }

    /** The first link that does not verify, and why. */
    public record Broken(long seq, String eventId, String reason) {
    }

    /** Appends the record after the current head. */
    @Transactional(propagation = Propagation.MANDATORY)
    public AuditEntry append(AuditRecord record) {
        Head head = jdbc.sql("SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE")
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash")))
                .single();
        AuditEntry entry = AuditEntry.next(head.hash(), record.messageId(),
                Timestamps.format(record.occurredAt()), record.action(), record.payload());
        long seq = head.seq() + 1;
        jdbc.sql("INSERT INTO audit_entry (seq, event_id, service, action, hashed_text, hash, prev_hash)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(seq, record.messageId(), record.service(), record.action(), entry.hashedText(),
                        entry.hash(), head.hash())
                .update();
        for (String subject : subjects(record.payload())) {
            jdbc.sql("INSERT INTO audit_subject (seq, identity) VALUES (?, ?)").params(seq, subject).update();
        }
        jdbc.sql("UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1").params(seq, entry.hash()).update();
        return entry;
    }

    /** The newest {@code limit} links, newest first; all of them, or only those concerning {@code identity}. */
    public List<StoredLink> newest(Optional<String> identity, int limit) {
        String sql = identity.isPresent()
                ? "SELECT a.seq, a.event_id, a.hashed_text, a.hash FROM audit_entry a JOIN audit_subject s"
                        + " ON s.seq = a.seq WHERE s.identity = :identity ORDER BY a.seq DESC LIMIT :limit"
                : "SELECT seq, event_id, hashed_text, hash FROM audit_entry a ORDER BY seq DESC LIMIT :limit";
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("limit", limit);
        if (identity.isPresent()) {
            statement = statement.param("identity", identity.get());
        }
        return statement.query((rs, n) -> new StoredLink(rs.getLong("seq"), rs.getString("event_id"),
                new AuditEntry(rs.getString("hashed_text"), rs.getString("hash")))).list();
    }

    /**
     * Recomputes every link from the first: each stored text must hash to its stored hash and name the previous
     * link's hash, sequence numbers must run without gaps, and the head must name the last link.
     */
    @Transactional(readOnly = true)
    public Verification verify() {
        String prevHash = null;
        long expectedSeq = 1;
        long checked = 0;
        while (true) {
            List<StoredLink> batch = jdbc.sql("SELECT seq, event_id, hashed_text, hash FROM audit_entry"
                            + " WHERE seq >= ? ORDER BY seq LIMIT ?")
                    .params(expectedSeq, VERIFY_BATCH)
                    .query((rs, n) -> new StoredLink(rs.getLong("seq"), rs.getString("event_id"),
                            new AuditEntry(rs.getString("hashed_text"), rs.getString("hash"))))
                    .list();
            for (StoredLink link : batch) {
                if (link.seq() != expectedSeq) {
                    return broken(checked, link.seq(), link.eventId(), "missing_entry_before");
                }
                Optional<String> reason = link.entry().brokenAfter(prevHash);
                if (reason.isPresent()) {
                    return broken(checked, link.seq(), link.eventId(), reason.get());
                }
                checked++;
                prevHash = link.entry().hash();
                expectedSeq++;
            }
            if (batch.size() < VERIFY_BATCH) {
                break;
            }
        }
        Head head = jdbc.sql("SELECT seq, hash FROM audit_chain_head WHERE id = 1")
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash")))
                .single();
        if (head.seq() != expectedSeq - 1 || !java.util.Objects.equals(head.hash(), prevHash)) {
            return new Verification(checked, Optional.of(head.seq()), Optional.ofNullable(head.hash()),
                    Optional.of(new Broken(head.seq(), null, "head_mismatch")));
        }
        return new Verification(checked, checked == 0 ? Optional.empty() : Optional.of(head.seq()),
                Optional.ofNullable(prevHash), Optional.empty());
    }

    private static Verification broken(long checked, long seq, String eventId, String reason) {
        return new Verification(checked, Optional.empty(), Optional.empty(),
                Optional.of(new Broken(seq, eventId, reason)));
    }

    /** Every identity the payload names in a top-level string field. */
    static Set<String> subjects(JsonNode payload) {
        Set<String> subjects = new LinkedHashSet<>();
        if (payload != null) {
            for (JsonNode value : payload.values()) {
                if (value.isString() && isIdentity(value.stringValue())) {
                    subjects.add(value.stringValue());
                }
            }
        }
        return subjects;
    }

    private static boolean isIdentity(String text) {
        return text.startsWith("loom://") || text.startsWith("bridge://");
    }

    private record Head(long seq, String hash) {
    }
}
