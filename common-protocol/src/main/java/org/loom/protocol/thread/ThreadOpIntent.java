package org.loom.protocol.thread;

import java.util.Optional;

/**
 * The intents a {@code thread_op} envelope can carry, each with the capability grant a participant who is not an
 * owner must hold to perform it ({@code admin} satisfies every grant).
 */
public enum ThreadOpIntent {
    ADD_PARTICIPANT("thread.add_participant@v1", "add_participant"),
    REMOVE_PARTICIPANT("thread.remove_participant@v1", "remove_participant"),
    /** Subject and labels; labelling is the grant that covers it. */
    UPDATE("thread.update@v1", "label"),
    RESOLVE("thread.resolve@v1", "resolve"),
    ARCHIVE("thread.archive@v1", "archive"),
    LOCK("thread.lock@v1", "lock"),
    /** Undoing a resolve or a lock is reserved to administrators. */
    REOPEN("thread.reopen@v1", "admin"),
    DELEGATE("thread.delegate@v1", "delegate"),
    FORK("thread.fork@v1", "fork"),
    MERGE("thread.merge@v1", "merge"),
    /** Linking exposes the thread to another one, which is what the forward grant governs. */
    LINK("thread.link@v1", "forward"),
    CAPABILITY_REVOKED("capability.revoked@v1", "admin"),
    CAPABILITY_SPENT("capability.spent@v1", "admin"),
    DELEGATION_REVOKED("delegation.revoked@v1", "admin"),
    ENCRYPTION_EPOCH("encryption.epoch@v1", "admin"),
    ENCRYPTION_ROTATE("encryption.rotate@v1", "admin");

    /** The grant that authorises anything, and the one demanded for intents nobody defined. */
    public static final String ADMIN_GRANT = "admin";

    private final String wireName;
    private final String requiredGrant;

    ThreadOpIntent(String wireName, String requiredGrant) {
        this.wireName = wireName;
        this.requiredGrant = requiredGrant;
    }

    /** The intent as written in {@code content.structured.intent}. */
    public String wireName() {
        return wireName;
    }

    /** The capability grant a non-owner needs for this intent. */
    public String requiredGrant() {
        return requiredGrant;
    }

    /** The intent with this exact wire name (version included), or empty. */
    public static Optional<ThreadOpIntent> fromWire(String wireName) {
        for (ThreadOpIntent intent : values()) {
            if (intent.wireName.equals(wireName)) {
                return Optional.of(intent);
            }
        }
        return Optional.empty();
    }

    /**
     * The grant a non-owner needs for an intent given as text. Unknown intents, other versions included, need
     * {@code admin}: a caller without it is refused before anyone looks at whether the intent is supported.
     */
    public static String requiredGrant(String intent) {
        return fromWire(intent).map(ThreadOpIntent::requiredGrant).orElse(ADMIN_GRANT);
    }
}
