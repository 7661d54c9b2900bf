package org.loom.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** A fixed number of worker threads sharing {@code count} numbered tasks; the caller waits for all of them. */
final class Workers {

    private Workers() {
    }

    /** Runs {@code task} for 0 … count-1 on {@code concurrency} threads; the first failure is rethrown. */
    static void run(String name, int concurrency, int count, IntConsumer task) {
        AtomicInteger next = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < Math.min(concurrency, Math.max(count, 1)); i++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int index = next.getAndIncrement(); index < count; index = next.getAndIncrement()) {
                        task.accept(index);
                    }
                } catch (Throwable failure) {
                    synchronized (failures) {
                        failures.add(failure);
                    }
                    // The other workers stop at their next task.
                    next.set(count);
                }
            }, name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoadFailure("interrupted", e);
            }
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            if (first instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new LoadFailure(first.toString(), first);
        }
    }
}
