package org.loom.service.outbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where an outbox item stands. An item is {@link #QUEUED} until it is delivered or given up on. */
public enum OutboxStatus {

    /** Waiting for its next attempt (or being attempted under a lease). */
    QUEUED,
    /** An attempt succeeded; nothing more happens to it. */
    DELIVERED,
    /** Given up on (attempts or time to live exhausted, or a permanent failure): a dead letter until requeued. */
    FAILED;

    /** The name used in the database and on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status with the given wire name, if there is one. */
    public static Optional<OutboxStatus> fromWireName(String text) {
        return Arrays.stream(values()).filter(status -> status.wireName().equals(text)).findFirst();
    }
}
