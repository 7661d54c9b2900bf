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
        List<String> acceptedIds) {

    public WriteResult {
        refusals = Map.copyOf(refusals);
        acceptedIds = List.copyOf(acceptedIds);
    }

    /** Accepted envelopes per second over the phase. */
    public double throughput() {
        return seconds > 0 ? accepted / seconds : 0;
    }
}
