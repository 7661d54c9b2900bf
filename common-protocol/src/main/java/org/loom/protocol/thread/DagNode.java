package org.loom.protocol.thread;

import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.envelope.Envelope;

/**
 * What the thread DAG needs to know of one envelope.
 *
 * @param id        the envelope id
 * @param parentId  the parent envelope id, empty for a root
 * @param createdAt {@code created_at} as sent (ordering reads it at millisecond precision)
 */
public record DagNode(String id, Optional<String> parentId, String createdAt) {

    public DagNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A node for an envelope with a parent, or a root when {@code parentId} is {@code null}. */
    public static DagNode of(String id, String parentId, String createdAt) {
        return new DagNode(id, Optional.ofNullable(parentId), createdAt);
    }

    /** The node of an envelope. */
    public static DagNode of(Envelope envelope) {
        return new DagNode(envelope.id(), envelope.parentId(), envelope.createdAt());
    }
}
