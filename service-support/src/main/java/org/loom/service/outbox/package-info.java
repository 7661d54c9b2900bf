/**
 * The outbox of deliveries to the outside world (webhooks, federation, email), shared by every service that makes
 * them: items with their own delivery state in the service's {@code outbox_item} table, attempted by a kind-specific
 * {@link org.loom.service.outbox.OutboxHandler}, retried with backoff and jitter, given up on as dead letters after
 * their attempts or time to live, and requeued on request. {@link org.loom.service.outbox.Outbox} is the whole API;
 * {@link org.loom.service.outbox.Outboxes} builds one per kind. docs/operations.md describes how to run it.
 *
 * <p>The table each service's migrations create (column names are fixed; add indexes as the service needs):
 *
 * <pre>
 * CREATE TABLE outbox_item (
 *     id               VARCHAR(64)              PRIMARY KEY,
 *     kind             VARCHAR(32)              NOT NULL,
 *     destination      VARCHAR(2048)            NOT NULL,
 *     fields           TEXT                     NOT NULL,
 *     status           VARCHAR(16)              NOT NULL,
 *     attempts         INTEGER                  NOT NULL,
 *     max_attempts     INTEGER                  NOT NULL,
 *     next_attempt_at  TIMESTAMP WITH TIME ZONE,
 *     expires_at       TIMESTAMP WITH TIME ZONE,
 *     lease_owner      VARCHAR(100),
 *     leased_until     TIMESTAMP WITH TIME ZONE,
 *     last_error       TEXT,
 *     last_http_status INTEGER,
 *     result           TEXT,
 *     created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
 *     updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
 *     delivered_at     TIMESTAMP WITH TIME ZONE
 * );
 * CREATE INDEX outbox_item_due ON outbox_item (kind, status, next_attempt_at);
 * </pre>
 */
package org.loom.service.outbox;
