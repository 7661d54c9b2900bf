package org.loom.load;

import java.util.List;
import java.util.Map;

/**
 * What the write phase achieved.
 *
 * @param submitted       envelopes sent
 * @param accepted        answered {@code 201}
 * @param rateLimited     answered {@code 429}, counted apart from other refusals
 * @param refusals        other error answers by protocol error code
 * @param transportErrors requests that got no answer (connection failure, timeout)
 * @param seconds         from the first submission to the last answer
 * @param latency         {@code POST /v1/envelopes} → {@code 201}
 * @param cpuShare        the generator's share of the machine during the phase, -1 if unknown
 * @param acceptedIds     ids of the accepted envelopes
 * @param timeline        accepted envelopes per interval of the phase, in order (see {@link WriteProgress})
 */
public record WriteResult(
        int submitted,
        int accepted,
        int rateLimited,
        Map<String, Integer> refusals,
        int transportErrors,
        double seconds,
        LatencySummary latency,
        double cpuShare,
        List<String> acceptedIds,
        List<Interval> timeline) {

    public WriteResult {
        refusals = Map.copyOf(refusals);
        acceptedIds = List.copyOf(acceptedIds);
        timeline = List.copyOf(timeline);
    }

    /**
     * One stretch of the write phase.
     *
     * @param startSecond when it began, in seconds from the phase's start
     * @param seconds     how long it lasted
     * @param accepted    envelopes answered {@code 201} in it
     */
    public record Interval(double startSecond, double seconds, int accepted) {

        public double throughput() {
            return seconds > 0 ? accepted / seconds : 0;
        }
    }

    /**
     * Accepted envelopes per second over the second half of the timeline: the rate a long run settles at, once the
     * node's warm-up (JIT compilation, caches, connection pools) lies behind it. Equal to {@link #throughput()} when
     * the timeline is too short to split.
     */
    public double secondHalfThroughput() {
        if (timeline.size() < 2) {
            return throughput();
        }
        List<Interval> half = timeline.subList(timeline.size() / 2, timeline.size());
        double seconds = half.stream().mapToDouble(Interval::seconds).sum();
        int count = half.stream().mapToInt(Interval::accepted).sum();
        return seconds > 0 ? count / seconds : 0;
    }

    /** Accepted envelopes per second over the phase. */
    public double throughput() {
        return seconds > 0 ? accepted / seconds : 0;
    }
}
