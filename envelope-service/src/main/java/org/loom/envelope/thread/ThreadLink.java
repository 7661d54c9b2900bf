package org.loom.envelope.thread;

import java.util.Objects;

/**
 * An entry of a thread's {@code linked_threads[]}.
 *
 * @param threadId the other thread
 * @param relation how this thread relates to it ({@code related}, {@code blocks}, {@code parent}, ...)
 */
public record ThreadLink(String threadId, String relation) {

    public ThreadLink {
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(relation, "relation");
    }
}
