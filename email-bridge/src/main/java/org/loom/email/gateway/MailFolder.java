package org.loom.email.gateway;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The folders a legacy mail client sees, and which {@code sys.*} label puts a thread in each. Trash, Spam, Quarantine
 * and Archive are exclusive (in that precedence): a thread labelled with one of them is in that folder only.
 * Otherwise a thread is in INBOX when labelled {@code sys.inbox} and in Sent when labelled {@code sys.sent} (both when
 * it has both, as a conversation the caller wrote in and received answers in), and in INBOX when it has neither.
 * Drafts holds no threads.
 */
public enum MailFolder {
    INBOX("INBOX", "sys.inbox", "inbox"),
    SENT("Sent", "sys.sent", "sent", "sent items"),
    ARCHIVE("Archive", "sys.archive", "archive", "all mail"),
    SPAM("Spam", "sys.spam", "spam", "junk", "junk email"),
    TRASH("Trash", "sys.trash", "trash", "deleted", "deleted items"),
    QUARANTINE("Quarantine", "sys.quarantine", "quarantine"),
    DRAFTS("Drafts", null, "drafts", "draft");

    private static final List<MailFolder> EXCLUSIVE = List.of(TRASH, SPAM, QUARANTINE, ARCHIVE);

    private final String displayName;
    private final String label;
    private final List<String> aliases;

    MailFolder(String displayName, String label, String... aliases) {
        this.displayName = displayName;
        this.label = label;
        this.aliases = List.of(aliases);
    }

    public String displayName() {
        return displayName;
    }

    /** The label that files a thread in this folder; null for Drafts. */
    public String label() {
        return label;
    }

    /** The folders of a thread with these labels. */
    public static Set<MailFolder> of(Collection<String> labels) {
        for (MailFolder folder : EXCLUSIVE) {
            if (labels.contains(folder.label)) {
                return EnumSet.of(folder);
            }
        }
        boolean sent = labels.contains(SENT.label);
        if (labels.contains(INBOX.label) && sent) {
            return EnumSet.of(INBOX, SENT);
        }
        return EnumSet.of(sent ? SENT : INBOX);
    }

    /** The folder a client's name means: trimmed, any case, with the common aliases; empty is INBOX. */
    public static Optional<MailFolder> named(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (key.isEmpty()) {
            return Optional.of(INBOX);
        }
        for (MailFolder folder : values()) {
            if (folder.aliases.contains(key)) {
                return Optional.of(folder);
            }
        }
        return Optional.empty();
    }
}
