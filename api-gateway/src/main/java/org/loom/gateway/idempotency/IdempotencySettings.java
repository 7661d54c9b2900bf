package org.loom.gateway.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long idempotency records are kept, and how many.
 *
 * <p>Out-of-range values are raised to their minimum rather than refused, as the reference node does.
 *
 * @param ttl                 how long a record answers retries ({@code LOOM_IDEMPOTENCY_TTL_MS}); at least one second
 * @param maxEntries          how many records are kept at most; the oldest go first
 *                            ({@code LOOM_IDEMPOTENCY_MAX_ENTRIES}); at least 100
 * @param abandonedClaimAfter a claim still pending this long after it was made, without a command to wait for, is
 *                            taken to belong to a request whose replica died, and may be claimed again; it must
 *                            exceed the longest time a handler runs
 * @param abandonedCommandAfter a claim still pending this long after it was made, for a command that can be submitted
 *                            again without harm (an envelope, de-duplicated by its id), is taken to wait for a
 *                            command that was never published (its replica died between noting it and sending it)
 *                            and may be claimed again; it must exceed the longest a published command can wait to
 *                            be decided
 * @param sweepInterval       how often expired and surplus records are deleted
 * @param retryAfter          what a retry of a request still in progress is told to wait ({@code Retry-After})
 */
@ConfigurationProperties("loom.idempotency")
public record IdempotencySettings(
        @DefaultValue("86400000ms") Duration ttl,
        @DefaultValue("10000") int maxEntries,
        @DefaultValue("60s") Duration abandonedClaimAfter,
        @DefaultValue("120s") Duration abandonedCommandAfter,
        @DefaultValue("60s") Duration sweepInterval,
        @DefaultValue("1s") Duration retryAfter) {

    static final Duration MIN_TTL = Duration.ofSeconds(1);
    static final int MIN_ENTRIES = 100;

    public IdempotencySettings {
        ttl = ttl == null || ttl.compareTo(MIN_TTL) < 0 ? MIN_TTL : ttl;
        maxEntries = Math.max(MIN_ENTRIES, maxEntries);
        if (abandonedClaimAfter == null || abandonedClaimAfter.isNegative() || abandonedClaimAfter.isZero()) {
            throw new IllegalArgumentException("loom.idempotency.abandoned-claim-after must be positive");
        }
        if (abandonedCommandAfter == null || abandonedCommandAfter.isNegative() || abandonedCommandAfter.isZero()) {
            throw new IllegalArgumentException("loom.idempotency.abandoned-command-after must be positive");
        }
        if (sweepInterval == null || sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("loom.idempotency.sweep-interval must be positive");
        }
        if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("loom.idempotency.retry-after must be positive");
        }
    }
}
