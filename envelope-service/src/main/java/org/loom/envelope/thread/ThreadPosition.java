package org.loom.envelope.thread;

import java.util.Objects;

/**
 * Where a listing of threads stopped: the last thread's {@code updated_at} and id, which together order threads
 * totally.
 */
public record ThreadPosition(String updatedAt, String threadId) {

    public ThreadPosition {
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(threadId, "threadId");
    }

    /** The position just after the given thread. */
    public static ThreadPosition after(ThreadRecord thread) {
        return new ThreadPosition(thread.updatedAt(), thread.id());
    }
}
