/**
 * The Kafka contracts every service shares: topic names and partitioning, header names, and the record types carried
 * as JSON values.
 *
 * <p>Records follow the transactional-outbox convention: the record key is the aggregate whose events must stay in
 * order (usually a thread id), and every record carries a unique message id, both in its {@code loom-message-id} header
 * and in its body, so a consumer can remember what it processed and skip redeliveries. JSON field names are
 * snake_case. This package depends on Jackson only; it knows nothing of Kafka clients or Spring.
 */
package org.loom.protocol.kafka;
