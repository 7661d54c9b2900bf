package org.loom.load;

import java.util.List;
import java.util.Objects;

/**
 * One envelope of the workload, decided before the run starts.
 *
 * @param sequence   position in submission order (a parent always comes before its replies)
 * @param id         the envelope id
 * @param threadId   its thread
 * @param parentId   the envelope it replies to, {@code null} for a thread's first envelope
 * @param shape      the shape of its thread
 * @param sender     index of the sending identity
 * @param recipients indexes of the identities in {@code to}
 */
public record PlannedEnvelope(
        int sequence,
        String id,
        String threadId,
        String parentId,
        ThreadShape shape,
        int sender,
        List<Integer> recipients) {

    public PlannedEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(shape, "shape");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty() || recipients.contains(sender)) {
            throw new IllegalArgumentException("an envelope names at least one recipient other than its sender");
        }
    }

    /** Whether it opens its thread. */
    public boolean root() {
        return parentId == null;
    }
}
