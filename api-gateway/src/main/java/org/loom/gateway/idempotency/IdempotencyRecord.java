package org.loom.gateway.idempotency;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the idempotency table.
 *
 * @param id            the row id
 * @param scope         {@code actor:<identity>:<METHOD>:<path>}
 * @param key           the client's idempotency key
 * @param requestHash   hex SHA-256 of the request the key was first used with
 * @param correlationId the command the request waits for, if it published one
 * @param response      the stored answer; empty while the record is pending
 * @param createdAt     when the key was claimed
 * @param expiresAt     when the record stops answering retries
 */
public record IdempotencyRecord(
        long id,
        String scope,
        String key,
        String requestHash,
        Optional<String> correlationId,
        Optional<StoredResponse> response,
        Instant createdAt,
        Instant expiresAt) {

    public IdempotencyRecord {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestHash, "requestHash");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** True until the record has its answer. */
    public boolean pending() {
        return response.isEmpty();
    }
}
