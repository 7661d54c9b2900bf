package org.loom.envelope.mailbox;

import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code mailbox_label} table: each identity's own labels on the threads it can see (spec §20.1).
 *
 * <p>Adding and removing are single-row statements that tolerate the row being there or not, so ingest (adding
 * {@code sys.inbox} for a new delivery) and the owner's own changes never conflict.
 */
@Repository
public class MailboxLabels {

    public static final String INBOX = "sys.inbox";
    public static final String SENT = "sys.sent";
    public static final String ARCHIVE = "sys.archive";
    public static final String SPAM = "sys.spam";
    public static final String TRASH = "sys.trash";
    public static final String DRAFTS = "sys.drafts";
    public static final String QUARANTINE = "sys.quarantine";

    private final JdbcClient jdbc;

    public MailboxLabels(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The identity's labels on the thread, sorted. */
    public List<String> of(String identity, String threadId) {
        return jdbc.sql("SELECT label FROM mailbox_label WHERE identity = ? AND thread_id = ? ORDER BY label")
                .params(identity, threadId)
                .query(String.class)
                .list();
    }

    @Transactional
    public void add(String identity, String threadId, Collection<String> labels) {
        // Most calls file a thread where it already is (every reply files it in its sender's sys.sent). Reading first
        // spares H2 the failed insert, which it builds an exception for even under ON CONFLICT DO NOTHING.
        addMissing(identity, threadId, labels, of(identity, threadId));
    }

    /** {@link #add} for a caller that has just read the identity's labels on the thread ({@code current}). */
    private void addMissing(String identity, String threadId, Collection<String> labels, List<String> current) {
        for (String label : labels) {
            if (current.contains(label)) {
                continue;
            }
            jdbc.sql("INSERT INTO mailbox_label (identity, thread_id, label) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                    .params(identity, threadId, label)
                    .update();
        }
    }

    @Transactional
    public void remove(String identity, String threadId, Collection<String> labels) {
        for (String label : labels) {
            jdbc.sql("DELETE FROM mailbox_label WHERE identity = ? AND thread_id = ? AND label = ?")
                    .params(identity, threadId, label)
                    .update();
        }
    }

    /**
     * Files a new envelope in the sender's {@code sys.sent} and, for each recipient other than the sender, in the
     * inbox, or in {@code sys.quarantine} for a quarantined delivery (mail the receiving MTA flagged, or an envelope
     * from a node under quarantine, spec §21.5). A thread the recipient archived comes back to the inbox, as a new
     * message does in a mail client; a thread in the recipient's trash or marked as spam stays there. Each identity's
     * labels are read before any are written to it, since most envelopes are replies that change nothing.
     */
    @Transactional
    public void filed(String threadId, String sender, Collection<String> recipients, boolean quarantine) {
        // One primary-key read per identity: H2 answers "thread_id = ? AND identity IN (...)" by walking every label
        // of those identities, which made it the costliest statement of an ingest.
        addMissing(sender, threadId, List.of(SENT), of(sender, threadId));
        for (String recipient : recipients) {
            if (!recipient.equals(sender)) {
                fileFor(recipient, threadId, quarantine, of(recipient, threadId));
            }
        }
    }

    private void fileFor(String recipient, String threadId, boolean quarantine, List<String> current) {
        if (current.contains(TRASH) || current.contains(SPAM)) {
            return;
        }
        if (quarantine) {
            addMissing(recipient, threadId, List.of(QUARANTINE), current);
            return;
        }
        // Most deliveries are replies in a thread already in the inbox: then there is nothing to write.
        if (current.contains(ARCHIVE)) {
            remove(recipient, threadId, List.of(ARCHIVE));
        }
        addMissing(recipient, threadId, List.of(INBOX), current);
    }
}
