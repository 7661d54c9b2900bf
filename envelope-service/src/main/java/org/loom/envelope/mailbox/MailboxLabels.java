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
     * Files a newly delivered envelope in the recipient's inbox. A thread the recipient archived comes back to the
     * inbox, as a new message does in a mail client; a thread in the trash or marked as spam stays there.
     */
    @Transactional
    public void delivered(String recipient, String threadId) {
        List<String> current = of(recipient, threadId);
        if (current.contains(TRASH) || current.contains(SPAM)) {
            return;
        }
        // Most deliveries are replies in a thread already in the inbox: then there is nothing to write.
        if (current.contains(ARCHIVE)) {
            remove(recipient, threadId, List.of(ARCHIVE));
        }
        addMissing(recipient, threadId, List.of(INBOX), current);
    }

    /**
     * Files a quarantined delivery (mail the receiving MTA flagged, or an envelope from a node under quarantine) in
     * the recipient's quarantine instead of the inbox (spec §21.5); a thread already in the trash or marked as spam
     * stays there.
     */
    @Transactional
    public void quarantined(String recipient, String threadId) {
        List<String> current = of(recipient, threadId);
        if (current.contains(TRASH) || current.contains(SPAM)) {
            return;
        }
        addMissing(recipient, threadId, List.of(QUARANTINE), current);
    }
}
