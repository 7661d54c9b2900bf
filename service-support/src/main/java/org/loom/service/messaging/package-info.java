/**
 * How a service talks over Kafka reliably, shared by every service that keeps state: the record of messages already
 * processed, which lets every consumer skip redeliveries, and the transactional outbox its events are written to
 * before a relay publishes them. Each service has these two tables in its own schema (its Flyway history creates
 * them).
 */
package org.loom.service.messaging;
