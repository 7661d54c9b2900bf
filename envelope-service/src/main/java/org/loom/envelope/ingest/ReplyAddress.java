package org.loom.envelope.ingest;

import java.util.OptionalInt;

/**
 * Where the answer to a command goes: the results partition the waiting instance reads, and the service that sent the
 * command. Results are keyed by that service's name so that every other requesting service can skip them without
 * reading them (each requesting service is its own consumer group on the results topic).
 *
 * @param partition the {@code loom-reply-partition} header of the command; empty to let the key choose
 * @param requester the {@code loom-origin} header of the command; {@link #UNKNOWN_REQUESTER} when it had none
 */
public record ReplyAddress(OptionalInt partition, String requester) {

    /** The key of a result whose command did not say who sent it. */
    public static final String UNKNOWN_REQUESTER = "unknown";

    public ReplyAddress {
        if (partition == null) {
            partition = OptionalInt.empty();
        }
        if (requester == null || requester.isBlank()) {
            requester = UNKNOWN_REQUESTER;
        }
    }

    /** An answer to the given partition, for a command that named no requester. */
    public static ReplyAddress toPartition(OptionalInt partition) {
        return new ReplyAddress(partition, UNKNOWN_REQUESTER);
    }
}
