package org.loom.service.messaging;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Reads of the processed-message record. Consumers record messages through {@link ProcessedMessages}, which writes
 * with plain SQL in their transaction.
 */
public interface ProcessedMessageRepository extends JpaRepository<ProcessedMessage, String> {
}
