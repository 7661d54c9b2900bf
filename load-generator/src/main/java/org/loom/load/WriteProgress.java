package org.loom.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Samples the write phase every {@link #INTERVAL_SECONDS} seconds: prints how far it got and keeps each interval's
 * count, so a long run shows its progress and the report shows whether the rate held (a node's first minutes, while
 * its JIT compiler works, are slower than the rest).
 */
final class WriteProgress implements AutoCloseable {

    static final int INTERVAL_SECONDS = 10;

    private final IntSupplier answered;
    private final IntSupplier accepted;
    private final int submissions;
    private final PrintStream log;
    private final long start;
    private final List<WriteResult.Interval> intervals = new ArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "loom-load-progress");
        thread.setDaemon(true);
        return thread;
    });
    private long intervalStart;
    private int acceptedBefore;

    /**
     * @param start       {@link System#nanoTime()} when the phase began
     * @param submissions how many submissions the phase makes
     */
    WriteProgress(long start, int submissions, IntSupplier answered, IntSupplier accepted, PrintStream log) {
        this.start = start;
        this.intervalStart = start;
        this.submissions = submissions;
        this.answered = answered;
        this.accepted = accepted;
        this.log = log;
        sampler.scheduleAtFixedRate(() -> sample(true), INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    private synchronized void sample(boolean print) {
        long now = System.nanoTime();
        int acceptedNow = accepted.getAsInt();
        double seconds = (now - intervalStart) / 1e9;
        if (seconds <= 0) {
            return;
        }
        int inInterval = acceptedNow - acceptedBefore;
        intervals.add(new WriteResult.Interval((intervalStart - start) / 1e9, seconds, inInterval));
        if (print) {
            log.printf("  writes: %d of %d answered, %d accepted; %.1f accepted/s in the last %.0f s, %.1f/s so far%n",
                    answered.getAsInt(), submissions, acceptedNow, inInterval / seconds, seconds,
                    acceptedNow / ((now - start) / 1e9));
        }
        intervalStart = now;
        acceptedBefore = acceptedNow;
    }

    /** The intervals sampled, the last one ending now. */
    synchronized List<WriteResult.Interval> finish() {
        sampler.shutdownNow();
        sample(false);
        return List.copyOf(intervals);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
