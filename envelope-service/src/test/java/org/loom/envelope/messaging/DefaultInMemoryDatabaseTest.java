package org.loom.envelope.messaging;

import org.loom.service.messaging.OutboxEvent;
import org.loom.service.messaging.OutboxEventRepository;
import org.loom.service.messaging.ProcessedMessage;
import org.loom.service.messaging.ProcessedMessageRepository;
import org.loom.service.messaging.ProcessedMessages;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The service on its default database, in-memory H2 in PostgreSQL mode: the same migration runs, Hibernate validates
 * the entities against it, and the de-duplication insert behaves as on PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class DefaultInMemoryDatabaseTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private ProcessedMessages processedMessages;

    @Autowired
    private OutboxEventRepository outbox;

    @Autowired
    private TransactionTemplate transactions;

    @Test
    void migratesTheDefaultH2DatabaseInTheServiceSchema() {
        assertThat(jdbc.queryForObject("SELECT current_schema()", String.class)).isEqualTo("envelope");
        assertThat(jdbc.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'envelope'",
                String.class)).contains("processed_message", "outbox_event", "flyway_schema_history");
    }

    @Test
    void recordsAMessageOnlyOnItsFirstDelivery() {
        String messageId = "msg_" + UUID.randomUUID();

        Boolean first = transactions.execute(status -> processedMessages.firstDelivery(messageId, "loom.x"));
        Boolean second = transactions.execute(status -> processedMessages.firstDelivery(messageId, "loom.x"));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
    }

    @Test
    void rollingBackTheConsumerTransactionForgetsTheMessage() {
        String messageId = "msg_" + UUID.randomUUID();

        transactions.executeWithoutResult(status -> {
            processedMessages.firstDelivery(messageId, "loom.x");
            status.setRollbackOnly();
        });

        Boolean redelivered = transactions.execute(status -> processedMessages.firstDelivery(messageId, "loom.x"));
        assertThat(redelivered).isTrue();
    }

    @Test
    void outboxEventsGetAnIdAndStayUnpublishedUntilMarked() {
        String messageId = "msg_" + UUID.randomUUID();
        Instant createdAt = Instant.parse("2026-02-16T20:00:00.123Z");

        OutboxEvent saved = outbox.save(new OutboxEvent(messageId, "loom.envelope.events", "thr_1",
                "envelope.accepted", "{\"message_id\":\"" + messageId + "\"}", createdAt));

        assertThat(saved.id()).isNotNull();
        OutboxEvent stored = outbox.findByMessageId(messageId).orElseThrow();
        assertThat(stored.published()).isFalse();
        assertThat(stored.createdAt()).isEqualTo(createdAt);
        assertThat(stored.recordKey()).isEqualTo("thr_1");
    }
}
