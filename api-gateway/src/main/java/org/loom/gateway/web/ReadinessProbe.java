package org.loom.gateway.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every {@link ReadinessCheck} side by side, each bounded by a timeout, and reuses the answer for a short while
 * so that a load balancer polling {@code /ready} does not turn into load on the database and the broker.
 *
 * <p>A check still running from an earlier probe is not started again (it counts as not ready), so a dependency that
 * hangs costs one thread, not one per probe.
 */
public final class ReadinessProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReadinessProbe.class);

    /** The outcome of one probe: overall readiness and each check's, in check order. */
    public record Report(boolean ready, Map<String, Boolean> checks) {
        public Report {
            checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        }
    }

    private final List<ReadinessCheck> checks;
    private final long timeoutMs;
    private final long cacheMs;
    private final LongSupplier nanoTime;
    private final ExecutorService executor;
    private final Map<String, CompletableFuture<Boolean>> running = new ConcurrentHashMap<>();
    private final Map<String, Boolean> lastOutcome = new ConcurrentHashMap<>();

    private Report cached;
    private long cachedAtNanos;

    public ReadinessProbe(List<ReadinessCheck> checks, long timeoutMs, long cacheMs, LongSupplier nanoTime) {
        this.checks = List.copyOf(checks);
        this.timeoutMs = timeoutMs;
        this.cacheMs = cacheMs;
        this.nanoTime = nanoTime;
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "readiness-check");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The current report, evaluated now unless one younger than the cache period exists. */
    public synchronized Report report() {
        long now = nanoTime.getAsLong();
        if (cached != null && now - cachedAtNanos < TimeUnit.MILLISECONDS.toNanos(cacheMs)) {
            return cached;
        }
        Map<String, CompletableFuture<Boolean>> started = new LinkedHashMap<>();
        for (ReadinessCheck check : checks) {
            started.put(check.name(), start(check));
        }
        long deadline = now + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Map<String, Boolean> outcomes = new LinkedHashMap<>();
        boolean ready = true;
        for (Map.Entry<String, CompletableFuture<Boolean>> entry : started.entrySet()) {
            boolean ok = await(entry.getKey(), entry.getValue(), deadline);
            outcomes.put(entry.getKey(), ok);
            ready &= ok;
        }
        cached = new Report(ready, outcomes);
        cachedAtNanos = nanoTime.getAsLong();
        return cached;
    }

    private CompletableFuture<Boolean> start(ReadinessCheck check) {
        return running.compute(check.name(), (name, previous) -> previous != null && !previous.isDone()
                ? previous
                : CompletableFuture.supplyAsync(() -> {
                    try {
                        return check.isReady();
                    } catch (Exception e) {
                        throw new CheckFailed(e);
                    }
                }, executor));
    }

    private boolean await(String name, CompletableFuture<Boolean> outcome, long deadlineNanos) {
        boolean ok;
        String reason = null;
        try {
            long remaining = Math.max(0, deadlineNanos - nanoTime.getAsLong());
            ok = Boolean.TRUE.equals(outcome.get(remaining, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            ok = false;
            reason = "no answer within " + timeoutMs + " ms";
        } catch (ExecutionException e) {
            ok = false;
            Throwable cause = e.getCause() instanceof CheckFailed failed ? failed.getCause() : e.getCause();
            reason = String.valueOf(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
            reason = "interrupted";
        }
        // Log transitions only: a dependency that stays down is reported once, not at every poll.
        Boolean before = lastOutcome.put(name, ok);
        if (!ok && !Boolean.FALSE.equals(before)) {
            log.warn("Readiness check '{}' failing: {}", name, reason == null ? "not ready" : reason);
        } else if (ok && Boolean.FALSE.equals(before)) {
            log.info("Readiness check '{}' passing again", name);
        }
        return ok;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static final class CheckFailed extends RuntimeException {
        CheckFailed(Exception cause) {
            super(cause);
        }
    }
}
