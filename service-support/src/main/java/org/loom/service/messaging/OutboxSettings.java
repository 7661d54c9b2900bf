package org.loom.service.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the {@link OutboxRelay} works the outbox table. Bound from {@code loom.outbox.*}; every value also comes from
 * the matching environment variable ({@code LOOM_OUTBOX_RELAY_INTERVAL_MS}, ...).
 *
 * @param relayIntervalMs how often the relay looks for waiting events when nothing wakes it; a commit that appends
 *                        events wakes it at once, so this is only the safety net for missed wake-ups and for rows
 *                        committed by another replica
 * @param batchSize       how many events one publishing pass takes
 * @param sendTimeoutMs   how long the relay waits for the broker to acknowledge a pass before it gives up on the
 *                        rest and retries them later
 * @param maxBackoffMs    the longest pause after consecutive failures (the pause doubles from the relay interval)
 * @param retentionMs     how long published events stay in the table before they are deleted; 0 deletes each one
 *                        in the pass that published it
 * @param pruneIntervalMs how often published events past their retention are deleted
 */
@ConfigurationProperties("loom.outbox")
public record OutboxSettings(
        @DefaultValue("200") long relayIntervalMs,
        @DefaultValue("200") int batchSize,
        @DefaultValue("30000") long sendTimeoutMs,
        @DefaultValue("30000") long maxBackoffMs,
        @DefaultValue("0") long retentionMs,
        @DefaultValue("60000") long pruneIntervalMs) {

    public OutboxSettings {
        positive(relayIntervalMs, "relay-interval-ms");
        positive(batchSize, "batch-size");
        positive(sendTimeoutMs, "send-timeout-ms");
        positive(maxBackoffMs, "max-backoff-ms");
        if (retentionMs < 0) {
            throw new IllegalArgumentException("loom.outbox.retention-ms cannot be negative, got " + retentionMs);
        }
        positive(pruneIntervalMs, "prune-interval-ms");
    }

    /** The pause before the next attempt after {@code failures} consecutive failed passes. */
    long backoffMs(int failures) {
        long pause = relayIntervalMs << Math.min(Math.max(failures - 1, 0), 20);
        return Math.min(Math.max(pause, relayIntervalMs), maxBackoffMs);
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException("loom.outbox." + name + " must be positive, got " + value);
        }
    }
}
