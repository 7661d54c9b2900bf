package org.loom.email.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The folders a legacy mail client sees, and which {@code sys.*} thread label puts a thread in each. A thread is in
 * the first folder (in {@link #PRECEDENCE} order) whose label it carries, else in INBOX; Drafts holds no threads.
 */
public enum MailFolder {
    INBOX("INBOX", null, "inbox"),
    SENT("Sent", "sys.sent", "sent", "sent items"),
    ARCHIVE("Archive", "sys.archive", "archive", "all mail"),
    SPAM("Spam", "sys.spam", "spam", "junk", "junk email"),
    TRASH("Trash", "sys.trash", "trash", "deleted", "deleted items"),
    QUARANTINE("Quarantine", "sys.quarantine", "quarantine"),
    DRAFTS("Drafts", null, "drafts", "draft");

    private static final List<MailFolder> PRECEDENCE = List.of(TRASH, SPAM, QUARANTINE, ARCHIVE, SENT);

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

    /** The folder of a thread with these labels. */
    public static MailFolder of(List<String> labels) {
        for (MailFolder folder : PRECEDENCE) {
            if (labels.contains(folder.label)) {
                return folder;
            }
        }
        return INBOX;
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
