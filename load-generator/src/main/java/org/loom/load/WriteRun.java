package org.loom.load;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * Submits a plan's pre-signed envelopes with {@code C} workers, a reply only once its parent has been answered
 * (so replies are never stored ahead of their parents unless the parent was refused), the lowest pending sequence
 * number first.
 *
 * <p>Each submission takes a slot of the {@link RatePacer}. Paced, its latency runs from the later of its due time
 * and the moment its parent was answered; flat out, from the moment it was sent.
 */
final class WriteRun {

    private final WorkloadPlan plan;
    private final byte[][] bodies;
    private final String[] tokens;
    private final NodeClient client;
    private final int concurrency;
    private final RatePacer pacer;
    private final PrintStream log;

    private final PriorityBlockingQueue<Ready> ready = new PriorityBlockingQueue<>();
    private final AtomicLong slots = new AtomicLong();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger transportErrors = new AtomicInteger();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private final List<String> acceptedIds = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong lastAnswer = new AtomicLong();
    private final List<Histogram> histograms = Collections.synchronizedList(new ArrayList<>());

    WriteRun(WorkloadPlan plan, byte[][] bodies, String[] tokens, NodeClient client, int concurrency,
             RatePacer pacer, PrintStream log) {
        this.plan = plan;
        this.bodies = bodies;
        this.tokens = tokens;
        this.client = client;
        this.concurrency = concurrency;
        this.pacer = pacer;
        this.log = log;
    }

    /** An envelope whose parent has been answered, since {@code readyAt}. */
    private record Ready(PlannedEnvelope envelope, long readyAt) implements Comparable<Ready> {
        @Override
        public int compareTo(Ready other) {
            return Integer.compare(envelope.sequence(), other.envelope.sequence());
        }
    }

    WriteResult run() {
        CpuMeter.Reading cpuBefore = CpuMeter.read();
        long start = System.nanoTime();
        for (PlannedEnvelope envelope : plan.envelopes()) {
            if (envelope.root()) {
                ready.add(new Ready(envelope, start));
            }
        }
        List<WriteResult.Interval> timeline;
        try (WriteProgress progress = new WriteProgress(start, plan.size(), answered::get, accepted::get, log)) {
            // Each worker loops over slots itself; Workers only starts and joins them.
            Workers.run("loom-load-write", concurrency, concurrency, worker -> submitUntilDone(start));
            timeline = progress.finish();
        }
        CpuMeter.Reading cpuAfter = CpuMeter.read();
        long end = Math.max(lastAnswer.get(), start + 1);
        Histogram latency = LatencySummary.newHistogram();
        histograms.forEach(latency::add);
        Map<String, Integer> refused = new TreeMap<>();
        refusals.forEach((code, count) -> refused.put(code, count.get()));
        return new WriteResult(plan.size(), accepted.get(), rateLimited.get(), refused, transportErrors.get(),
                (end - start) / 1e9, LatencySummary.of(latency), CpuMeter.share(cpuBefore, cpuAfter),
                new ArrayList<>(acceptedIds), timeline);
    }

    private void submitUntilDone(long start) {
        Histogram latency = LatencySummary.newHistogram();
        histograms.add(latency);
        for (long slot = slots.getAndIncrement(); slot < plan.size(); slot = slots.getAndIncrement()) {
            long due = pacer.awaitSlot(start, slot);
            Ready next;
            try {
                next = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            PlannedEnvelope envelope = next.envelope();
            long sent = System.nanoTime();
            long from = pacer.paced() ? Math.max(due, next.readyAt()) : sent;
            try {
                NodeClient.Answer answer = client.post("/v1/envelopes", tokens[envelope.sender()],
                        bodies[envelope.sequence()]);
                long answered = System.nanoTime();
                if (answer.status() == 201) {
                    accepted.incrementAndGet();
                    acceptedIds.add(envelope.id());
                    latency.recordValue(Math.max(0, (answered - from) / 1000));
                } else if (answer.status() == 429) {
                    rateLimited.incrementAndGet();
                } else {
                    refusals.computeIfAbsent(answer.errorCode(), code -> new AtomicInteger()).incrementAndGet();
                }
            } catch (IOException e) {
                transportErrors.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                long answered = System.nanoTime();
                this.answered.incrementAndGet();
                lastAnswer.accumulateAndGet(answered, Math::max);
                // Replies go out whatever the parent's answer was: a refused parent makes them pending-parent
                // envelopes, which the node still stores.
                for (PlannedEnvelope reply : plan.repliesTo(envelope)) {
                    ready.add(new Ready(reply, answered));
                }
            }
        }
    }
}
