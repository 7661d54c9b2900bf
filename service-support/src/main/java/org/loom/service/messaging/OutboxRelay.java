package org.loom.service.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.header.Headers;
import org.loom.protocol.kafka.LoomHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the transactional outbox to Kafka: every unpublished {@code outbox_event} row, in id order, then stamps it
 * published.
 *
 * <p>A pass runs in one database transaction that first locks the single {@code outbox_relay_lock} row, so when
 * several replicas of a service share a database only one of them publishes at a time and the events of a key keep
 * their order. Within a pass the records are sent together and acknowledged in order; the rows up to the first one
 * the broker did not acknowledge are stamped, the rest stay waiting for the next pass. Delivery is therefore at least
 * once: a record acknowledged after the relay stopped waiting is sent again later, and consumers skip it by its
 * {@link LoomHeaders#MESSAGE_ID}.
 *
 * <p>The idempotent producer keeps a partition's records in order through retriable failures (broker down, leader
 * moving): the relay retries those, in order, for as long as they last, and nothing behind them is published. A record
 * the broker refuses outright may be overtaken by records sent with it in the same pass; those stay waiting behind it
 * and are sent again after it. After such a failure the relay therefore sends one record at a time, each only after
 * the previous one was acknowledged, until a pass succeeds completely.
 *
 * <p>A record that is refused for what it is (too large for the topic, not a valid record), when sent on its own, would
 * be refused forever and hold back every later event of the service. The relay <em>parks</em> it instead: the row is
 * stamped {@link #PARKED_AT} rather than a publication time, logged at ERROR with its id, topic and key, and counted in
 * the status report ({@code event_outbox.parked}) and the {@code loom_event_outbox_parked} gauge; then the relay moves
 * on. Later events of the same key are then published without it: ordering per key holds for every published event,
 * but a parked event is missing from the sequence until an operator releases it (sets {@code published_at} back to
 * null, after fixing the topic's limit) or deletes it. Refusals that say nothing about the record itself (not
 * authorised, producer fenced or out of sequence) are retried like broker outages: every event of the topic would
 * suffer the same, and parking them all would reorder everything.
 *
 * <p>The relay runs on one thread of its own. It is woken as soon as a transaction that appended events commits
 * ({@link #wakeUp()}), and it also looks on its own every {@link OutboxSettings#relayIntervalMs()} for rows another
 * replica committed or a wake-up that was missed. After a failure (broker or database unavailable) it logs, waits
 * increasingly long up to {@link OutboxSettings#maxBackoffMs()}, and tries again; no row is lost, since a row is only
 * stamped after the broker acknowledged it.
 *
 * <p>By default ({@link OutboxSettings#retentionMs()} 0) a published row is deleted in the pass that published it. Kept
 * rows cost the database twice: stamping a row rewrites every stored page that holds it, payload and all, and the
 * table grows by each event's full payload until pruning deletes it (on the embedded H2 database, where every commit
 * writes the pages it changed, stamping took more time than appending). With a retention, rows are stamped instead
 * and deleted once the retention has passed.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /**
     * The {@code published_at} of a parked event. Every service shares the {@code outbox_event} layout and none has a
     * column for this, so a time no publication can have marks it: the relay's query for waiting rows skips it and
     * pruning (which deletes rows published before a cutoff in the past) never reaches it.
     */
    public static final Instant PARKED_AT = Instant.parse("9999-12-31T00:00:00Z");

    // Starts before the Kafka listener containers and stops after them, so events appended while listeners finish
    // their last records still go out.
    private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 200;
    private static final long STOP_TIMEOUT_MS = 10_000;

    private static final String LOCK = "SELECT id FROM outbox_relay_lock WHERE id = 1 FOR UPDATE";
    private static final String WAITING = "SELECT id, message_id, topic, record_key, record_partition, message_type,"
            + " payload FROM outbox_event WHERE published_at IS NULL ORDER BY id LIMIT ?";
    private static final String MARK_PUBLISHED = "UPDATE outbox_event SET published_at = ? WHERE id = ?";
    private static final String DELETE_PUBLISHED = "DELETE FROM outbox_event WHERE id = ?";
    private static final String PRUNE = "DELETE FROM outbox_event WHERE published_at < ?";

    private static final RowMapper<Waiting> WAITING_ROW = (rs, n) -> new Waiting(
            rs.getLong("id"),
            rs.getString("message_id"),
            rs.getString("topic"),
            rs.getString("record_key"),
            (Integer) rs.getObject("record_partition", Integer.class),
            rs.getString("message_type"),
            rs.getString("payload"));

    private final DefaultKafkaProducerFactory<String, String> producers;
    private final KafkaTemplate<String, String> kafka;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final OutboxSettings settings;
    private final byte[] origin;
    private final Clock clock;

    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private volatile boolean oneAtATime;
    private Thread worker;
    private Instant lastPrune = Instant.EPOCH;

    /**
     * @param producers the relay's own producers, which it closes when it stops; not shared, since the relay starts a
     *                  fresh producer after a failed pass (see {@link #discardProducer()})
     * @param origin    the service name written to every record's {@link LoomHeaders#ORIGIN} header
     */
    public OutboxRelay(DefaultKafkaProducerFactory<String, String> producers, JdbcTemplate jdbc,
            TransactionTemplate transactions, OutboxSettings settings, String origin, Clock clock) {
        this.producers = Objects.requireNonNull(producers, "producers");
        // Closing must not wait for records the broker will never take: their rows simply stay waiting.
        this.producers.setPhysicalCloseTimeout(0);
        this.kafka = new KafkaTemplate<>(producers);
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.origin = Objects.requireNonNull(origin, "origin").getBytes(StandardCharsets.UTF_8);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Asks the relay to look for waiting events now rather than at its next interval. Never blocks. */
    public void wakeUp() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Publishes waiting events until none are left or a pass fails, and returns how many were published. The relay's
     * own thread calls this; calling it from elsewhere is safe, since passes exclude each other through the lock row.
     *
     * @throws OutboxRelayException when the broker did not acknowledge an event (those before it are stamped)
     */
    public int publishWaiting() {
        int total = 0;
        while (true) {
            Pass pass = transactions.execute(status -> publishOnePass());
            Objects.requireNonNull(pass, "pass");
            total += pass.published();
            if (pass.failure() != null) {
                discardProducer();
            }
            if (pass.failure() != null && refusesTheRecord(pass.failure()) && !pass.oneAtATime()) {
                // Sent with others, the record may have failed for their sake; sent alone next, it is parked if
                // the broker still refuses it.
                continue;
            }
            if (pass.failure() != null) {
                throw new OutboxRelayException("Outbox event " + pass.failedMessageId() + " was not published; "
                        + total + " published before it", pass.failure());
            }
            if (pass.taken() < settings.batchSize()) {
                return total;
            }
        }
    }

    /** Deletes published events older than the retention; returns how many. */
    public int prunePublished() {
        Instant cutoff = clock.instant().minusMillis(settings.retentionMs());
        return jdbc.update(PRUNE, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
    }

    private Pass publishOnePass() {
        jdbc.queryForObject(LOCK, Integer.class);
        List<Waiting> rows = jdbc.query(WAITING, WAITING_ROW, settings.batchSize());
        boolean alone = oneAtATime;
        if (rows.isEmpty()) {
            return new Pass(0, 0, null, null, alone);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.sendTimeoutMs());
        Throwable failure = null;
        int done = 0;
        int published = 0;
        List<Object[]> stamps = new ArrayList<>();
        List<Object[]> parked = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (alone) {
            for (Waiting row : rows) {
                failure = acknowledge(send(row), deadline);
                if (failure != null && refusesTheRecord(failure)) {
                    park(row, failure);
                    discardProducer();
                    parked.add(new Object[] {OffsetDateTime.ofInstant(PARKED_AT, ZoneOffset.UTC), row.id()});
                    failure = null;
                    done++;
                    continue;
                }
                if (failure != null) {
                    break;
                }
                stamps.add(new Object[] {now, row.id()});
                done++;
                published++;
            }
        } else {
            List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
            for (Waiting row : rows) {
                CompletableFuture<?> send = send(row);
                sends.add(send);
                if (send.isCompletedExceptionally()) {
                    break;
                }
            }
            for (CompletableFuture<?> send : sends) {
                failure = acknowledge(send, deadline);
                if (failure != null) {
                    break;
                }
                stamps.add(new Object[] {now, rows.get(done).id()});
                done++;
                published++;
            }
        }
        oneAtATime = failure != null;
        if (!stamps.isEmpty() && settings.retentionMs() > 0) {
            jdbc.batchUpdate(MARK_PUBLISHED, stamps);
        } else if (!stamps.isEmpty()) {
            // By id, never by range: a row with a lower id may have committed after this pass read the table.
            jdbc.batchUpdate(DELETE_PUBLISHED, stamps.stream().map(stamp -> new Object[] {stamp[1]}).toList());
        }
        if (!parked.isEmpty()) {
            jdbc.batchUpdate(MARK_PUBLISHED, parked);
        }
        String failedMessageId = failure == null ? null : rows.get(done).messageId();
        return new Pass(rows.size(), published, failure, failedMessageId, alone);
    }

    /**
     * Closes the producer, abandoning whatever it still holds, so that the next send starts a new one. After a failed
     * pass the old producer may still be retrying records of it (a batch that mixes a refused record with others can
     * be split and retried until the delivery timeout), and its idempotence sequence for the partition is out of step
     * with what the broker stored, so records sent after it would be refused as out of sequence.
     */
    private void discardProducer() {
        try {
            producers.reset();
        } catch (RuntimeException e) {
            log.warn("Closing the outbox relay's producer failed: {}", e.toString());
        }
    }

    private static void park(Waiting row, Throwable refusal) {
        log.error("Outbox event {} (id {}, topic {}, key {}, {} bytes) was refused by the broker and is parked; later"
                + " events go on without it until it is released: {}", row.messageId(), row.id(), row.topic(),
                row.recordKey(), row.payload().length(), refusal.toString());
    }

    /**
     * Whether the broker refused this record for what it is, so that sending it again can only fail again. Producer
     * or connection trouble (timeouts, fencing, sequence gaps, authorisation) says nothing about the record.
     */
    static boolean refusesTheRecord(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException || cause instanceof AuthorizationException
                    || cause instanceof AuthenticationException || cause instanceof OutOfOrderSequenceException
                    || cause instanceof UnknownProducerIdException || cause instanceof InvalidProducerEpochException
                    || cause instanceof ProducerFencedException) {
                return false;
            }
            if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
                    || cause instanceof InvalidRecordException || cause instanceof InvalidTopicException
                    || cause instanceof SerializationException) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<?> send(Waiting row) {
        try {
            return kafka.send(row.toRecord(origin));
        } catch (RuntimeException e) {
            // The client refused synchronously (no metadata in time, producer closed).
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Null when the broker acknowledged the send before the deadline, else why not. */
    private static Throwable acknowledge(CompletableFuture<?> send, long deadline) {
        try {
            send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private void run() {
        int failures = 0;
        while (running) {
            try {
                publishWaiting();
                pruneWhenDue();
                failures = 0;
                await(settings.relayIntervalMs(), true);
            } catch (RuntimeException e) {
                failures++;
                long pause = settings.backoffMs(failures);
                if (failures == 1) {
                    log.warn("Outbox relay pass failed; retrying in {} ms", pause, e);
                } else {
                    log.warn("Outbox relay pass failed {} times in a row; retrying in {} ms: {}", failures, pause,
                            e.toString());
                }
                // Wake-ups are ignored while backing off: a busy service commits often, and retrying on every
                // commit would hammer a broker that is down.
                await(pause, false);
            }
        }
    }

    private void pruneWhenDue() {
        Instant now = clock.instant();
        if (now.isBefore(lastPrune.plusMillis(settings.pruneIntervalMs()))) {
            return;
        }
        lastPrune = now;
        int pruned = prunePublished();
        if (pruned > 0) {
            log.debug("Deleted {} published outbox events", pruned);
        }
    }

    private void await(long millis, boolean wakeable) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (signal) {
            if (!wakeable) {
                woken = false;
            }
            while (running && !(wakeable && woken)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            woken = false;
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        Thread stopping;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            stopping = worker;
            worker = null;
        }
        wakeUp();
        try {
            stopping.join(STOP_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping.isAlive()) {
            log.warn("Outbox relay did not stop within {} ms", STOP_TIMEOUT_MS);
        }
        producers.destroy();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** An outbox row waiting to be published. */
    private record Waiting(long id, String messageId, String topic, String recordKey, Integer recordPartition,
            String messageType, String payload) {

        ProducerRecord<String, String> toRecord(byte[] origin) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, recordPartition, recordKey, payload);
            Headers headers = record.headers();
            headers.add(LoomHeaders.MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8));
            headers.add(LoomHeaders.MESSAGE_TYPE, messageType.getBytes(StandardCharsets.UTF_8));
            headers.add(LoomHeaders.SCHEMA_VERSION,
                    Integer.toString(LoomHeaders.CURRENT_SCHEMA_VERSION).getBytes(StandardCharsets.UTF_8));
            headers.add(LoomHeaders.ORIGIN, origin);
            return record;
        }
    }

    /**
     * The outcome of one pass: rows taken, rows published, why the rest were not, and whether the rows were sent one
     * at a time.
     */
    private record Pass(int taken, int published, Throwable failure, String failedMessageId, boolean oneAtATime) {
    }
}
