package org.loom.service.outbox;

import java.util.random.RandomGenerator;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How an outbox works its items. Each kind binds its own from its settings prefix (e.g. {@code loom.webhook.outbox},
 * so {@code LOOM_WEBHOOK_OUTBOX_AUTO_PROCESS_INTERVAL_MS}); the defaults are the reference node's.
 *
 * @param autoProcessIntervalMs how often this replica looks for due items; 0 turns automatic processing off in this
 *                              replica (on-demand processing still works). Queuing an item also wakes the worker.
 * @param batchSize             the most items one automatic pass claims
 * @param maxAttempts           attempts an item gets when it is queued without its own limit
 * @param baseBackoffMs         the pause after the first failure; it doubles with each further failure
 * @param maxBackoffMs          the longest pause between attempts
 * @param jitterRatio           each pause is moved at random by up to this fraction either way, so items that failed
 *                              together do not retry together (0 for none, at most 1)
 * @param parallelism           attempts this replica makes at the same time; a slow destination holds at most the
 *                              slots of its own items
 * @param attemptTimeoutMs      the longest an attempt may take before it counts as failed
 * @param leaseMs               how long a claim holds an item; a replica that dies mid-attempt loses the item to
 *                              another replica after this. Must exceed the attempt timeout.
 */
public record OutboxPolicy(
        @DefaultValue("5000") long autoProcessIntervalMs,
        @DefaultValue("20") int batchSize,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("30000") long baseBackoffMs,
        @DefaultValue("3600000") long maxBackoffMs,
        @DefaultValue("0.2") double jitterRatio,
        @DefaultValue("8") int parallelism,
        @DefaultValue("60000") long attemptTimeoutMs,
        @DefaultValue("120000") long leaseMs) {

    public OutboxPolicy {
        if (autoProcessIntervalMs < 0) {
            throw new IllegalArgumentException("auto-process-interval-ms cannot be negative (0 turns it off)");
        }
        atLeastOne(batchSize, "batch-size");
        atLeastOne(maxAttempts, "max-attempts");
        atLeastOne(baseBackoffMs, "base-backoff-ms");
        if (maxBackoffMs < baseBackoffMs) {
            throw new IllegalArgumentException("max-backoff-ms must be at least base-backoff-ms");
        }
        if (!(jitterRatio >= 0 && jitterRatio <= 1)) {
            throw new IllegalArgumentException("jitter-ratio must lie between 0 and 1, got " + jitterRatio);
        }
        atLeastOne(parallelism, "parallelism");
        atLeastOne(attemptTimeoutMs, "attempt-timeout-ms");
        if (leaseMs <= attemptTimeoutMs) {
            throw new IllegalArgumentException("lease-ms must exceed attempt-timeout-ms, or a live attempt could be"
                    + " taken over");
        }
    }

    /** The reference node's policy. */
    public static OutboxPolicy defaults() {
        return new OutboxPolicy(5000, 20, 8, 30000, 3600000, 0.2, 8, 60000, 120000);
    }

    /** Whether this replica processes due items on its own. */
    public boolean autoProcessing() {
        return autoProcessIntervalMs > 0;
    }

    /**
     * The pause before the next attempt after the {@code attempts}-th failed one: base × 2^(attempts−1), at most the
     * maximum, then moved by the jitter (never below half the base, never above the maximum).
     */
    public long backoffMs(int attempts, RandomGenerator random) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 40);
        long pause = Math.min(maxBackoffMs, saturatingShift(baseBackoffMs, doublings));
        if (jitterRatio == 0) {
            return pause;
        }
        double factor = 1 + jitterRatio * (2 * random.nextDouble() - 1);
        long jittered = Math.round(pause * factor);
        return Math.min(maxBackoffMs, Math.max(Math.max(1, baseBackoffMs / 2), jittered));
    }

    private static long saturatingShift(long value, int bits) {
        return value > (Long.MAX_VALUE >> bits) ? Long.MAX_VALUE : value << bits;
    }

    private static void atLeastOne(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
