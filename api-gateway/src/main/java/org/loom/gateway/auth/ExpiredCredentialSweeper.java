package org.loom.gateway.auth;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes expired challenges and tokens at a fixed pace. Expired rows are already refused when presented; clearing
 * them only keeps the tables small. Each run deletes a bounded batch per table, so replicas running it side by side
 * never hold long locks.
 */
@Component
class ExpiredCredentialSweeper implements SchedulingConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiredCredentialSweeper.class);

    private final CredentialStore store;
    private final AuthSettings settings;
    private final TransactionTemplate transaction;
    private final Clock clock = Clock.systemUTC();

    ExpiredCredentialSweeper(CredentialStore store, AuthSettings settings, PlatformTransactionManager transactions) {
        this.store = store;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::sweepQuietly, settings.sweepInterval());
    }

    /** Deletes one batch of expired rows per table; the number deleted. */
    int sweep() {
        Integer deleted = transaction.execute(status -> store.deleteExpired(clock.instant(), settings.sweepBatchSize()));
        return deleted == null ? 0 : deleted;
    }

    private void sweepQuietly() {
        try {
            int deleted = sweep();
            if (deleted > 0) {
                LOG.debug("Deleted {} expired challenges and tokens", deleted);
            }
        } catch (RuntimeException e) {
            // The next run tries again; a database that is briefly away must not end the schedule.
            LOG.warn("Could not delete expired challenges and tokens: {}", e.toString());
        }
    }
}
