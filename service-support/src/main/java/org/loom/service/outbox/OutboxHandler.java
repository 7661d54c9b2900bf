package org.loom.service.outbox;

import java.time.Duration;

/**
 * The part of an outbox that knows its kind: how to make one delivery attempt, and what to record alongside the
 * outcome (audit records, kind-specific bookkeeping). The {@link Outbox} does everything else: claiming, leases,
 * timeouts, backoff, time to live, dead letters and requeue.
 *
 * <p>An attempt runs outside any database transaction and may be made more than once for the same item (a worker can
 * crash after the destination took the item and before the outcome was recorded): destinations tell repeats apart by
 * the item id, which never changes across attempts.
 */
public interface OutboxHandler {

    /**
     * Makes one delivery attempt. It must give up within {@code timeout}; the outbox also stops waiting after it and
     * records a retry. A thrown exception counts as {@link AttemptOutcome.Retry} with the exception's message.
     */
    AttemptOutcome attempt(OutboxItem item, Duration timeout) throws Exception;

    /**
     * Called inside the transaction that records an attempt's outcome, with the item as recorded; writes made here
     * (an audit record, an event) commit with it. Not called when the outcome was discarded because another worker
     * had taken the item over.
     */
    default void recorded(OutboxItem item, AttemptOutcome outcome) {
    }

    /** Called inside the transaction that requeues a dead letter, with the item as requeued. */
    default void requeued(OutboxItem item, String actor) {
    }
}
