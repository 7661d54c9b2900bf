package org.loom.envelope.stored;

import java.util.Objects;
import java.util.Optional;

/**
 * An envelope as the node stored it.
 *
 * @param id          {@code env_} id
 * @param threadId    the thread it belongs to
 * @param parentId    its parent, empty for a root
 * @param type        its type
 * @param sender      {@code from.identity}
 * @param createdAt   {@code created_at} as sent
 * @param createdAtMs the same instant in epoch milliseconds, for ordering in the database
 * @param receivedAt  {@code meta.received_at}
 * @param eventSeq    {@code meta.event_seq}
 * @param json        the stored envelope (the sender's JSON and the node's {@code meta}) as the node returns it
 */
public record StoredEnvelope(
        String id,
        String threadId,
        Optional<String> parentId,
        String type,
        String sender,
        String createdAt,
        long createdAtMs,
        String receivedAt,
        long eventSeq,
        String json) {

    public StoredEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(json, "json");
        if (eventSeq < 1) {
            throw new IllegalArgumentException("event_seq starts at 1");
        }
    }
}
