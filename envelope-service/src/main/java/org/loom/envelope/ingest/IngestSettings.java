package org.loom.envelope.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the envelope-service consumes its commands. Bound from {@code loom.envelope.*}.
 *
 * @param commandConsumers         consumer threads for the command topic; more than its partitions would idle
 * @param commandAttempts          how often a command that fails for an unexpected reason (not a protocol refusal) is
 *                                 tried before it is answered with {@code INTERNAL_ERROR}
 * @param commandRetryBackoffMs    the pause before the second attempt; it doubles for each further one
 * @param commandRetryMaxBackoffMs the longest pause between attempts
 * @param commandBatchSize         how many of the commands polled together are decided in one transaction; 1 gives
 *                                 every command a transaction of its own. A chunk with a refused or failing command
 *                                 is decided again one command at a time.
 */
@ConfigurationProperties("loom.envelope")
public record IngestSettings(
        @DefaultValue("2") int commandConsumers,
        @DefaultValue("4") int commandAttempts,
        @DefaultValue("500") long commandRetryBackoffMs,
        @DefaultValue("5000") long commandRetryMaxBackoffMs,
        @DefaultValue("50") int commandBatchSize) {

    public IngestSettings {
        if (commandConsumers < 1) {
            throw new IllegalArgumentException("loom.envelope.command-consumers must be at least 1");
        }
        if (commandAttempts < 1) {
            throw new IllegalArgumentException("loom.envelope.command-attempts must be at least 1");
        }
        if (commandBatchSize < 1) {
            throw new IllegalArgumentException("loom.envelope.command-batch-size must be at least 1");
        }
        if (commandRetryBackoffMs < 0 || commandRetryMaxBackoffMs < commandRetryBackoffMs) {
            throw new IllegalArgumentException(
                    "loom.envelope.command-retry-backoff-ms must be between 0 and command-retry-max-backoff-ms");
        }
    }
}
