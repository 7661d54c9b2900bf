package org.loom.envelope.thread;

import java.util.Objects;
import java.util.Optional;

/**
 * An entry of a thread's {@code forks[]}.
 *
 * @param forkId     the fork thread
 * @param forkedFrom the envelope the fork starts from, if known
 * @param state      {@code active} until the fork is merged back, then {@code merged}
 * @param subject    the fork's subject, if the fork operation gave one
 */
public record ThreadFork(String forkId, Optional<String> forkedFrom, String state, Optional<String> subject) {

    public ThreadFork {
        Objects.requireNonNull(forkId, "forkId");
        Objects.requireNonNull(forkedFrom, "forkedFrom");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(subject, "subject");
    }
}
