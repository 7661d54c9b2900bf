package org.loom.gateway.idempotency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/** Deletes expired idempotency records and the oldest ones beyond the configured maximum, on a fixed delay. */
final class IdempotencySweeper {

    private static final Logger log = LoggerFactory.getLogger(IdempotencySweeper.class);

    private final IdempotencyStore store;

    IdempotencySweeper(IdempotencyStore store) {
        this.store = store;
    }

    @Scheduled(initialDelayString = "${loom.idempotency.sweep-interval:60s}",
            fixedDelayString = "${loom.idempotency.sweep-interval:60s}")
    void sweep() {
        int deleted = store.sweep();
        if (deleted > 0) {
            log.debug("Deleted {} idempotency records", deleted);
        }
    }
}
