package org.loom.protocol.thread;

import java.util.Optional;

/**
 * How one thread relates to another in its {@code linked_threads[]} (spec §10.1, §11.4). Every relation has the
 * inverse the other thread records, so a link always reads correctly from both ends.
 */
public enum ThreadRelation {
    RELATED("related"),
    BLOCKS("blocks"),
    BLOCKED_BY("blocked_by"),
    PARENT("parent"),
    CHILD("child"),
    /** Recorded on a parent thread for a fork merged into it; only a merge creates it. */
    MERGED_FROM("merged_from");

    private final String wireName;

    ThreadRelation(String wireName) {
        this.wireName = wireName;
    }

    /** The relation as written on the wire. */
    public String wireName() {
        return wireName;
    }

    /** What the other thread records: {@code blocks} ↔ {@code blocked_by}, {@code parent} ↔ {@code child}. */
    public ThreadRelation inverse() {
        return switch (this) {
            case RELATED -> RELATED;
            case BLOCKS -> BLOCKED_BY;
            case BLOCKED_BY -> BLOCKS;
            case PARENT -> CHILD;
            case CHILD -> PARENT;
            // The merged fork already names the parent as its parent.
            case MERGED_FROM -> PARENT;
        };
    }

    /** True for the relations {@code thread.link@v1} may set; the others are made by fork and merge. */
    public boolean linkable() {
        return this != MERGED_FROM;
    }

    /** The relation with this exact wire name, or empty. */
    public static Optional<ThreadRelation> fromWire(String wireName) {
        for (ThreadRelation relation : values()) {
            if (relation.wireName.equals(wireName)) {
                return Optional.of(relation);
            }
        }
        return Optional.empty();
    }
}
