package org.loom.service.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.kafka.DeadLetter;
import org.loom.service.messaging.OutboxEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * The outbox of one kind (webhook, federation, email): items in the {@code outbox_item} table with their own delivery
 * state, worked by {@link OutboxHandler#attempt} until they are delivered or become dead letters.
 *
 * <ul>
 *   <li>{@link #enqueue} queues an item in the caller's transaction (typically the one that records the Kafka event
 *       it came from); the worker is woken when that transaction commits.</li>
 *   <li>{@link #process(String)} and {@link #processDue(int)} work one item, or the due items, now and return what
 *       became of them; the worker does the same every {@link OutboxPolicy#autoProcessIntervalMs()} when that is not
 *       0. Any number of replicas may do this at once: an item is claimed with a row lock and a lease, so only one
 *       replica attempts it at a time, and a replica that dies mid-attempt loses it when the lease runs out.</li>
 *   <li>An attempt runs outside the database transaction, with a timeout, on one of
 *       {@link OutboxPolicy#parallelism()} slots: a slow or dead destination holds only the slots of its own items.
 *       A failed attempt is retried after an exponential backoff with jitter; an item that runs out of attempts or
 *       of time to live, or fails permanently, becomes {@code failed} and a {@link DeadLetter} is published on the
 *       kind's dead-letter topic in the same transaction.</li>
 *   <li>{@link #requeue} gives a dead letter a fresh set of attempts.</li>
 * </ul>
 *
 * <p>Delivery is at least once: a replica that dies after the destination took an item and before the outcome was
 * recorded leaves the item to be sent again, with the same id. Destinations de-duplicate by that id.
 */
public class Outbox implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    /** The most items one on-demand batch may ask for, as in the reference node. */
    public static final int MAX_BATCH = 200;

    private static final long STOP_TIMEOUT_MS = 10_000;

    private final String kind;
    private final OutboxPolicy policy;
    private final OutboxHandler handler;
    private final OutboxStore store;
    private final TransactionTemplate transactions;
    private final OutboxEvents events;
    private final Clock clock;
    private final Semaphore slots;
    private final ExecutorService attempts;
    private final String replica = UUID.randomUUID().toString();
    private final AtomicInteger claims = new AtomicInteger();

    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private boolean started;
    private Thread worker;

    public Outbox(String kind, OutboxPolicy policy, OutboxHandler handler, JdbcTemplate jdbc,
            TransactionTemplate transactions, OutboxEvents events, Clock clock) {
        // The dead-letter contract only knows these kinds; fail at startup rather than at the first dead letter.
        Objects.requireNonNull(kind, "kind");
        if (!List.of(DeadLetter.KIND_FEDERATION, DeadLetter.KIND_EMAIL, DeadLetter.KIND_WEBHOOK).contains(kind)) {
            throw new IllegalArgumentException("no outbox of kind " + kind);
        }
        this.kind = kind;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.store = new OutboxStore(jdbc, kind);
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.slots = new Semaphore(policy.parallelism());
        AtomicInteger threads = new AtomicInteger();
        this.attempts = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, kind + "-outbox-attempt-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public String kind() {
        return kind;
    }

    public OutboxPolicy policy() {
        return policy;
    }

    /**
     * Queues an item, due at {@link NewOutboxItem#dueAt()} (now when null), in the caller's transaction if there is
     * one. The worker looks at it as soon as that transaction commits, or when it falls due.
     */
    public OutboxItem enqueue(NewOutboxItem item) {
        Objects.requireNonNull(item, "item");
        Instant now = now();
        int maxAttempts = item.maxAttempts() == null ? policy.maxAttempts() : item.maxAttempts();
        store.insert(item, maxAttempts, now);
        long waitMs = item.dueAt() == null ? 0 : Math.max(0, Duration.between(now, item.dueAt()).toMillis());
        Runnable wake = waitMs == 0 ? this::wakeUp
                : () -> CompletableFuture.delayedExecutor(waitMs, TimeUnit.MILLISECONDS).execute(this::wakeUp);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake.run();
                }
            });
        } else {
            wake.run();
        }
        return store.find(item.id()).orElseThrow();
    }

    /**
     * Locks, in the caller's transaction, the newest item for {@code destination} that was queued with a due time
     * still ahead, has not been attempted and that nobody holds, so the caller may add to it with {@link #amend}
     * before it goes out. Empty when there is none, or when another transaction holds it (it is then being added to
     * or claimed).
     */
    public Optional<OutboxItem> lockGathering(String destination) {
        requireTransaction();
        return store.lockGathering(destination, now());
    }

    /** Replaces the kind's own fields of an item locked with {@link #lockGathering}, in the caller's transaction. */
    public void amend(String id, ObjectNode fields) {
        requireTransaction();
        store.amend(id, Objects.requireNonNull(fields, "fields"), now());
    }

    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a row lock taken outside a transaction would be released at once");
        }
    }

    public Optional<OutboxItem> find(String id) {
        return store.find(id);
    }

    /** Items of this kind, newest first, optionally of one status and with one of the kind's fields equal to a value. */
    public List<OutboxItem> list(OutboxStatus status, String fieldName, String fieldValue, int limit) {
        return list(status, fieldName == null || fieldValue == null ? Map.of() : Map.of(fieldName, fieldValue), limit);
    }

    /** Items of this kind, newest first, optionally of one status and with the kind's fields equal to the values given. */
    public List<OutboxItem> list(OutboxStatus status, Map<String, String> fields, int limit) {
        return store.list(status, Map.copyOf(fields), limit);
    }

    /** Items of this kind, newest first, optionally of one status, that {@code filter} accepts. */
    public List<OutboxItem> list(OutboxStatus status, Predicate<OutboxItem> filter, int limit) {
        return store.list(status, Objects.requireNonNull(filter, "filter"), limit);
    }

    /** The dead letters of this kind, most recently failed first (ties by id). */
    public List<OutboxItem> deadLetters(int limit) {
        return store.list(OutboxStatus.FAILED, Map.of(), limit);
    }

    /**
     * Attempts one item now if it is queued, due and not held by another worker, and returns it as it then stands;
     * otherwise returns it unchanged.
     *
     * @throws LoomException {@code ENVELOPE_NOT_FOUND} (404) when there is no such item of this kind
     */
    public OutboxItem process(String id) {
        OutboxItem current = store.find(id).orElseThrow(() -> notFound(id));
        acquire(1);
        String owner = newClaim();
        boolean claimed;
        try {
            claimed = Boolean.TRUE.equals(transactions.execute(status -> store.claimOne(id, owner, now(),
                    leaseEnd())));
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        if (!claimed) {
            slots.release();
            return current;
        }
        return start(current.id(), owner).join();
    }

    /**
     * Attempts up to {@code limit} due items now (oldest first, at most {@link OutboxPolicy#parallelism()} at a time)
     * and returns them as they then stand.
     */
    public List<OutboxItem> processDue(int limit) {
        int remaining = Math.max(1, Math.min(limit, MAX_BATCH));
        List<CompletableFuture<OutboxItem>> started = new ArrayList<>();
        while (remaining > 0) {
            int taken = acquire(Math.min(remaining, policy.parallelism()));
            List<Claimed> batch = claimDue(taken);
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(claimed -> started.add(start(claimed.id(), claimed.owner())));
            remaining -= batch.size();
        }
        return started.stream().map(CompletableFuture::join).toList();
    }

    /**
     * Puts a dead letter back in the queue, due now, with a fresh set of attempts.
     *
     * @throws LoomException {@code ENVELOPE_NOT_FOUND} (404) for an unknown item; {@code STATE_TRANSITION_INVALID}
     *                       (409) when the item is not failed
     */
    public OutboxItem requeue(String id, String actor) {
        OutboxItem requeued = transactions.execute(status -> {
            if (!store.lock(id)) {
                throw notFound(id);
            }
            OutboxItem current = store.find(id).orElseThrow();
            if (current.status() != OutboxStatus.FAILED) {
                throw new LoomException(ErrorCode.STATE_TRANSITION_INVALID,
                        "Only failed " + kind + " outbox items can be requeued",
                        LoomException.details("outbox_id", id, "current_status", current.status().wireName()));
            }
            store.requeue(id, now());
            OutboxItem item = store.find(id).orElseThrow();
            handler.requeued(item, actor);
            return item;
        });
        wakeUp();
        return requeued;
    }

    /** Makes the worker look for due items now rather than at its next interval. */
    public void wakeUp() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private List<Claimed> claimDue(int taken) {
        String owner = newClaim();
        List<String> ids;
        try {
            ids = transactions.execute(status -> store.claimDue(taken, owner, now(), leaseEnd()));
        } catch (RuntimeException e) {
            slots.release(taken);
            throw e;
        }
        slots.release(taken - ids.size());
        return ids.stream().map(id -> new Claimed(id, owner)).toList();
    }

    /**
     * Runs the attempt on a slot already acquired and records its outcome; the slot is released once the outcome is
     * recorded (or recording failed).
     */
    private CompletableFuture<OutboxItem> start(String id, String owner) {
        CompletableFuture<AttemptOutcome> outcome = new CompletableFuture<>();
        Future<?> task;
        try {
            task = attempts.submit(() -> {
                try {
                    OutboxItem item = store.find(id).orElseThrow();
                    outcome.complete(handler.attempt(item, Duration.ofMillis(policy.attemptTimeoutMs())));
                } catch (Throwable e) {
                    outcome.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        return outcome.orTimeout(policy.attemptTimeoutMs(), TimeUnit.MILLISECONDS)
                .handleAsync((result, error) -> {
                    try {
                        if (error != null) {
                            task.cancel(true);
                        }
                        return record(id, owner, result != null ? result : failure(error));
                    } finally {
                        slots.release();
                        if (running) {
                            wakeUp();
                        }
                    }
                }, attempts);
    }

    private AttemptOutcome failure(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return new AttemptOutcome.Retry("Attempt timed out after " + policy.attemptTimeoutMs() + " ms", null);
        }
        String message = cause.getMessage();
        return new AttemptOutcome.Retry(message == null || message.isBlank() ? cause.getClass().getSimpleName()
                : message, null);
    }

    private OutboxItem record(String id, String owner, AttemptOutcome outcome) {
        try {
            return transactions.execute(status -> {
                if (!store.lockIfLeasedBy(id, owner)) {
                    // The lease ran out and another worker took the item over; its outcome will be the one recorded.
                    log.warn("{} outbox item {} was taken over by another worker; discarding this attempt's outcome",
                            kind, id);
                    return store.find(id).orElseThrow();
                }
                OutboxItem current = store.find(id).orElseThrow();
                OutboxItem next = apply(current, outcome, now());
                store.record(next);
                if (next.status() == OutboxStatus.FAILED) {
                    DeadLetter letter = new DeadLetter(LoomIds.next(IdPrefix.EVENT), kind, id,
                            next.lastError() == null ? "failed" : next.lastError(), next.attempts(), next.view(),
                            next.updatedAt());
                    events.append(letter.topic(), id, letter);
                }
                handler.recorded(next, outcome);
                return store.find(id).orElseThrow();
            });
        } catch (RuntimeException e) {
            // The lease keeps the item from others until it runs out; then it is attempted again.
            log.warn("Could not record the outcome of {} outbox item {}: {}", kind, id, e.toString());
            throw e;
        }
    }

    /** The item's state after an attempt with {@code outcome} at {@code now}. */
    OutboxItem apply(OutboxItem item, AttemptOutcome outcome, Instant now) {
        int attempted = item.attempts() + 1;
        if (outcome instanceof AttemptOutcome.Delivered delivered) {
            return new OutboxItem(item.id(), item.kind(), item.destination(), item.fields(), OutboxStatus.DELIVERED,
                    attempted, item.maxAttempts(), null, item.expiresAt(), null, delivered.httpStatus(),
                    delivered.result(), item.createdAt(), now, now);
        }
        if (outcome instanceof AttemptOutcome.Permanent permanent) {
            return failed(item, attempted, permanent.reason(), permanent.httpStatus(), now);
        }
        AttemptOutcome.Retry retry = (AttemptOutcome.Retry) outcome;
        boolean expired = item.expiresAt() != null && !now.isBefore(item.expiresAt());
        if (expired || attempted >= item.maxAttempts()) {
            return failed(item, attempted, retry.reason(), retry.httpStatus(), now);
        }
        Instant next = now.plusMillis(policy.backoffMs(attempted, ThreadLocalRandom.current()));
        if (item.expiresAt() != null && next.isAfter(item.expiresAt())) {
            // One last attempt when the time to live runs out, rather than none at all.
            next = item.expiresAt();
        }
        return new OutboxItem(item.id(), item.kind(), item.destination(), item.fields(), OutboxStatus.QUEUED,
                attempted, item.maxAttempts(), next, item.expiresAt(), retry.reason(), retry.httpStatus(), null,
                item.createdAt(), now, null);
    }

    private static OutboxItem failed(OutboxItem item, int attempted, String reason, Integer httpStatus, Instant now) {
        return new OutboxItem(item.id(), item.kind(), item.destination(), item.fields(), OutboxStatus.FAILED,
                attempted, item.maxAttempts(), null, item.expiresAt(), reason, httpStatus, null, item.createdAt(), now,
                null);
    }

    /** Acquires at least one and at most {@code wanted} slots, waiting for the first; returns how many. */
    private int acquire(int wanted) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an outbox slot", e);
        }
        int taken = 1;
        while (taken < wanted && slots.tryAcquire()) {
            taken++;
        }
        return taken;
    }

    /** Node timestamps have millisecond precision; the database keeps what it is given, so give it that. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private String newClaim() {
        return replica + "/" + claims.incrementAndGet();
    }

    private Instant leaseEnd() {
        return now().plusMillis(policy.leaseMs());
    }

    private LoomException notFound(String id) {
        return new LoomException(ErrorCode.ENVELOPE_NOT_FOUND, kind + " outbox item not found", Map.of("outbox_id", id));
    }

    private void run() {
        while (running) {
            try {
                int free = slots.availablePermits();
                if (free > 0) {
                    int wanted = Math.min(policy.batchSize(), free);
                    int taken = 0;
                    while (taken < wanted && slots.tryAcquire()) {
                        taken++;
                    }
                    if (taken > 0) {
                        claimDue(taken).forEach(claimed -> start(claimed.id(), claimed.owner()));
                    }
                }
            } catch (RuntimeException e) {
                log.warn("The {} outbox worker could not claim due items: {}", kind, e.toString());
            }
            await(policy.autoProcessIntervalMs());
        }
    }

    private void await(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (signal) {
            while (running && !woken) {
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
        started = true;
        if (running || !policy.autoProcessing()) {
            return;
        }
        running = true;
        worker = new Thread(this::run, kind + "-outbox-worker");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        Thread stopping;
        synchronized (this) {
            stopping = worker;
            started = false;
            running = false;
            worker = null;
        }
        wakeUp();
        if (stopping != null) {
            try {
                stopping.join(STOP_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Releases the attempt threads when the outbox is discarded (a {@code @Bean}'s inferred destroy method). Not on
     * {@link #stop()}: a stopped context may be started again (the test framework pauses contexts it does not use),
     * and on-demand processing must still work then. Attempts in flight either finish and are recorded, or their
     * leases run out and another replica takes over.
     */
    public void close() {
        stop();
        attempts.shutdown();
    }

    @Override
    public synchronized boolean isRunning() {
        return started;
    }

    private record Claimed(String id, String owner) {
    }
}
