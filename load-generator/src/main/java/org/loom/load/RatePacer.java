package org.loom.load;

import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop pacing: submission number {@code n} is due at {@code n / rate} seconds after the start, whatever happened
 * to the ones before it. Latency is then measured from that due time, so a node that falls behind shows it in the
 * percentiles instead of silently slowing the generator down (coordinated omission).
 *
 * @param perSecond target submissions per second; 0 or less means no pacing
 */
public record RatePacer(double perSecond) {

    /** Whether submissions wait for their due time. */
    public boolean paced() {
        return perSecond > 0;
    }

    /** Nanoseconds after the start at which submission {@code slot} is due; 0 when not paced. */
    public long offsetNanos(long slot) {
        if (!paced()) {
            return 0;
        }
        return (long) (slot * 1_000_000_000.0 / perSecond);
    }

    /**
     * Waits until submission {@code slot} is due and returns its due time ({@link System#nanoTime()} scale); not
     * paced, returns the current time at once.
     */
    public long awaitSlot(long startNanos, long slot) {
        if (!paced()) {
            return System.nanoTime();
        }
        long due = startNanos + offsetNanos(slot);
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        return due;
    }
}
