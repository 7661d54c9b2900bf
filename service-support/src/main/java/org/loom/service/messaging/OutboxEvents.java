package org.loom.service.messaging;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import javax.sql.DataSource;

import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.LoomMessage;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.Topic;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes an event to the transactional outbox. Call it inside the transaction that makes the change the event
 * describes: the event then exists exactly when the change committed, and the relay publishes it afterwards. The
 * relay is woken when that transaction commits, so the event leaves within milliseconds rather than at the relay's
 * next interval.
 *
 * <p>Events are inserted with plain SQL rather than saved through {@link OutboxEventRepository}: a command chunk
 * appends hundreds, and as managed entities each would stay in the persistence context, to be dirty-checked at every
 * later flush of the transaction. The entity mapping still describes the table, and Hibernate validates it.
 */
@Component
public class OutboxEvents {

    private final TransactionSynchronization wakeRelay = new TransactionSynchronization() {
        @Override
        public void afterCommit() {
            relay.ifAvailable(OutboxRelay::wakeUp);
        }
    };

    private static final String INSERT = "INSERT INTO outbox_event"
            + " (message_id, topic, record_key, record_partition, message_type, payload, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";

    private final JdbcClient jdbc;
    private final ObjectProvider<OutboxRelay> relay;
    private final Clock clock;

    public OutboxEvents(DataSource dataSource, ObjectProvider<OutboxRelay> relay) {
        this.jdbc = JdbcClient.create(dataSource);
        this.relay = relay;
        this.clock = Clock.systemUTC();
    }

    /**
     * Queues {@code message} for {@code topic} under {@code key} (the aggregate the topic is keyed by, e.g. the thread
     * id); the key chooses the partition. Its message id becomes the record's de-duplication header. Returns the
     * row id, which orders publication.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long append(Topic topic, String key, LoomMessage message) {
        return save(topic, key, null, message);
    }

    /**
     * Queues {@code message} for one partition of {@code topic}, whatever its key hashes to: a reply goes to the
     * partition its requester reads.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long appendToPartition(Topic topic, int partition, String key, LoomMessage message) {
        // Only a negative number is certainly wrong: a deployment may give a topic more partitions than its default,
        // and the broker refuses one that does not exist.
        if (partition < 0) {
            throw new IllegalArgumentException("a partition number cannot be negative: " + partition);
        }
        return save(topic, key, partition, message);
    }

    /**
     * One wake-up per transaction however many events it appends (a command chunk appends hundreds; the relay
     * publishes everything waiting each time it wakes). A transaction keeps its synchronizations in a set, so
     * registering this one instance again is a no-op, and a transaction started inside another gets its own.
     */
    private void wakeRelayOnCommit() {
        TransactionSynchronizationManager.registerSynchronization(wakeRelay);
    }

    private long save(Topic topic, String key, Integer partition, LoomMessage message) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        // Through a tree and the wire writer, so numbers inside JSON bodies keep the form their signer used.
        String payload = LoomJson.write(LoomJson.mapper().valueToTree(message));
        KeyHolder id = new GeneratedKeyHolder();
        jdbc.sql(INSERT)
                .params(message.messageId(), topic.name(), key, partition, MessageType.of(message).wireName(), payload,
                        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update(id, "id");
        wakeRelayOnCommit();
        return Objects.requireNonNull(id.getKey(), "generated id").longValue();
    }
}
