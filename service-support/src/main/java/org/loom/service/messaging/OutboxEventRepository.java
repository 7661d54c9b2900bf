package org.loom.service.messaging;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** The transactional outbox table. */
public interface OutboxEventRepository extends JpaRepository<OutboxEvent, Long> {

    Optional<OutboxEvent> findByMessageId(String messageId);
}
