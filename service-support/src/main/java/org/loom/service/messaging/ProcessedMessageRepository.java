package org.loom.service.messaging;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The processed-message record. Consumers go through {@link ProcessedMessages}, not this repository. */
public interface ProcessedMessageRepository extends JpaRepository<ProcessedMessage, String> {

    /**
     * Inserts the row unless one exists; 1 when inserted, 0 when the id was already recorded. A conflict without a
     * target is the form both PostgreSQL and H2 accept, and it stays correct when two deliveries race: the second
     * insert waits for the first transaction and then does nothing.
     */
    @Modifying(flushAutomatically = true)
    @Query(value = "INSERT INTO processed_message (message_id, topic) VALUES (:messageId, :topic) ON CONFLICT DO NOTHING",
            nativeQuery = true)
    int insertIfAbsent(@Param("messageId") String messageId, @Param("topic") String topic);
}
