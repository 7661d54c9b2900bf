package org.loom.gateway.guard;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Fixed-window counts per (bucket, client), in this replica's memory. A window starts with a client's first request
 * and lasts {@code windowMs}; the next request after it starts a new one.
 *
 * <p>Memory is bounded: ended windows are dropped at least once per window length, and when more than
 * {@code maxTrackedClients} windows are live a tenth of them are dropped to make room (those clients start afresh).
 * That errs towards letting requests through rather than failing them, which is the right side for a per-replica
 * guard in front of limits that are enforced durably elsewhere.
 */
public final class FixedWindowRateLimiter {

    private record Key(RateLimitBucket bucket, String client) {
    }

    private record Window(long startMillis, int count) {
    }

    private final long windowMs;
    private final Map<RateLimitBucket, Integer> limits;
    private final int maxTrackedClients;
    private final LongSupplier clock;
    private final ConcurrentHashMap<Key, Window> windows = new ConcurrentHashMap<>();
    private final ReentrantLock sweeping = new ReentrantLock();
    private volatile long lastSweepMillis;

    /**
     * @param clock epoch milliseconds
     */
    public FixedWindowRateLimiter(long windowMs, int defaultMax, int sensitiveMax, int maxTrackedClients,
            LongSupplier clock) {
        if (windowMs <= 0 || maxTrackedClients <= 0 || defaultMax < 0 || sensitiveMax < 0) {
            throw new IllegalArgumentException("window and capacity must be positive, limits not negative");
        }
        this.windowMs = windowMs;
        this.limits = Map.of(RateLimitBucket.DEFAULT, defaultMax, RateLimitBucket.SENSITIVE, sensitiveMax);
        this.maxTrackedClients = maxTrackedClients;
        this.clock = clock;
        this.lastSweepMillis = clock.getAsLong();
    }

    /** Requests per window in the bucket; 0 when the bucket is not limited. */
    public int limitOf(RateLimitBucket bucket) {
        return limits.get(bucket);
    }

    public long windowMs() {
        return windowMs;
    }

    /** Counts one request of the client in the bucket, which must be limited. */
    public RateLimitDecision acquire(RateLimitBucket bucket, String client) {
        int limit = limitOf(bucket);
        if (limit <= 0) {
            throw new IllegalArgumentException("bucket " + bucket + " is not limited");
        }
        long now = clock.getAsLong();
        Key key = new Key(bucket, client);
        if (!windows.containsKey(key)) {
            makeRoom(now);
        }
        Window window = windows.compute(key, (k, current) -> current == null || now >= current.startMillis() + windowMs
                ? new Window(now, 1)
                : new Window(current.startMillis(), current.count() == Integer.MAX_VALUE
                        ? current.count() : current.count() + 1));
        long resetAt = window.startMillis() + windowMs;
        boolean allowed = window.count() <= limit;
        return new RateLimitDecision(allowed, limit, Math.max(0, limit - window.count()), resetAt,
                Math.max(1, resetAt - now));
    }

    /** Windows currently held in memory. */
    public int trackedWindows() {
        return windows.size();
    }

    private void makeRoom(long now) {
        boolean full = windows.size() >= maxTrackedClients;
        if (!full && now - lastSweepMillis < windowMs) {
            return;
        }
        if (!sweeping.tryLock()) {
            return;
        }
        try {
            lastSweepMillis = now;
            windows.entrySet().removeIf(entry -> now >= entry.getValue().startMillis() + windowMs);
            int excess = windows.size() - maxTrackedClients + Math.max(1, maxTrackedClients / 10);
            if (windows.size() >= maxTrackedClients) {
                Iterator<Key> keys = windows.keySet().iterator();
                while (excess-- > 0 && keys.hasNext()) {
                    keys.next();
                    keys.remove();
                }
            }
        } finally {
            sweeping.unlock();
        }
    }
}
