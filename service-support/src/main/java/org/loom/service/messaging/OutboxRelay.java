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
import org.apache.kafka.common.header.Headers;
import org.loom.protocol.kafka.LoomHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
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
 * moving). A record the broker refuses outright (too large for the topic, not authorised) may be overtaken by records
 * sent with it in the same pass; those stay waiting behind it and are sent again after it. After such a failure the
 * relay therefore sends one record at a time, each only after the previous one was acknowledged, until a pass
 * succeeds completely.
 *
 * <p>The relay runs on one thread of its own. It is woken as soon as a transaction that appended events commits
 * ({@link #wakeUp()}), and it also looks on its own every {@link OutboxSettings#relayIntervalMs()} for rows another
 * replica committed or a wake-up that was missed. After a failure (broker or database unavailable) it logs, waits
 * increasingly long up to {@link OutboxSettings#maxBackoffMs()}, and tries again; no row is lost, since a row is only
 * stamped after the broker acknowledged it. Published rows are deleted once {@link OutboxSettings#retentionMs()} has
 * passed.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    // Starts before the Kafka listener containers and stops after them, so events appended while listeners finish
    // their last records still go out.
    private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 200;
    private static final long STOP_TIMEOUT_MS = 10_000;

    private static final String LOCK = "SELECT id FROM outbox_relay_lock WHERE id = 1 FOR UPDATE";
    private static final String WAITING = "SELECT id, message_id, topic, record_key, record_partition, message_type,"
            + " payload FROM outbox_event WHERE published_at IS NULL ORDER BY id LIMIT ?";
    private static final String MARK_PUBLISHED = "UPDATE outbox_event SET published_at = ? WHERE id = ?";
    private static final String PRUNE = "DELETE FROM outbox_event WHERE published_at < ?";

    private static final RowMapper<Waiting> WAITING_ROW = (rs, n) -> new Waiting(
            rs.getLong("id"),
            rs.getString("message_id"),
            rs.getString("topic"),
            rs.getString("record_key"),
            (Integer) rs.getObject("record_partition", Integer.class),
            rs.getString("message_type"),
            rs.getString("payload"));

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
     * @param origin the service name written to every record's {@link LoomHeaders#ORIGIN} header
     */
    public OutboxRelay(KafkaTemplate<String, String> kafka, JdbcTemplate jdbc, TransactionTemplate transactions,
            OutboxSettings settings, String origin, Clock clock) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
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
        if (rows.isEmpty()) {
            return new Pass(0, 0, null, null);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.sendTimeoutMs());
        Throwable failure = null;
        int acknowledged = 0;
        if (oneAtATime) {
            for (Waiting row : rows) {
                failure = acknowledge(send(row), deadline);
                if (failure != null) {
                    break;
                }
                acknowledged++;
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
                acknowledged++;
            }
        }
        oneAtATime = failure != null;
        if (acknowledged > 0) {
            OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
            List<Object[]> stamps = rows.subList(0, acknowledged).stream()
                    .map(row -> new Object[] {now, row.id()})
                    .toList();
            jdbc.batchUpdate(MARK_PUBLISHED, stamps);
        }
        String failedMessageId = failure == null ? null : rows.get(acknowledged).messageId();
        return new Pass(rows.size(), acknowledged, failure, failedMessageId);
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

    /** The outcome of one pass: rows taken, rows published, and why the rest were not. */
    private record Pass(int taken, int published, Throwable failure, String failedMessageId) {
    }
}
