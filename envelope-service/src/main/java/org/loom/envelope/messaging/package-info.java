/**
 * How the envelope-service talks over Kafka reliably: the record of messages already processed, which lets every
 * consumer skip redeliveries, and the transactional outbox its events are written to before a relay publishes them.
 */
package org.loom.envelope.messaging;
