package org.loom.gateway.idempotency;

import java.util.Optional;

/** What trying to claim an idempotency key found. */
public sealed interface Claim {

    /** The key was free: this request owns the record with the given id and must settle it. */
    record Granted(long recordId) implements Claim {
    }

    /** The key already answered this same request: send the stored answer again. */
    record Replay(StoredResponse response) implements Claim {
    }

    /** The key was used with a different request. */
    record Conflict() implements Claim {
    }

    /**
     * The same request is still in progress elsewhere (another replica, or a command whose decision is late); the
     * correlation id is present once that request published its command.
     */
    record InProgress(Optional<String> correlationId) implements Claim {
    }
}
