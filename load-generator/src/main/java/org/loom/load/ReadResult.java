package org.loom.load;

import java.util.Map;

/**
 * What one kind of read achieved.
 *
 * @param route      the route read
 * @param supported  false when the node does not serve the route (it answered 404 "Route not found")
 * @param requests   reads sent
 * @param ok         answered 200 with what was expected
 * @param mismatches answered 200 but with the wrong content (a thread render missing envelopes or out of
 *                   canonical order)
 * @param failures   other answers, by protocol error code ({@code TRANSPORT} when none came)
 * @param latency    of the 200 answers
 */
public record ReadResult(
        String route,
        boolean supported,
        int requests,
        int ok,
        int mismatches,
        Map<String, Integer> failures,
        LatencySummary latency) {

    public ReadResult {
        failures = Map.copyOf(failures);
    }

    static ReadResult unsupported(String route) {
        return new ReadResult(route, false, 0, 0, 0, Map.of(), LatencySummary.EMPTY);
    }

    static ReadResult skipped(String route) {
        return new ReadResult(route, true, 0, 0, 0, Map.of(), LatencySummary.EMPTY);
    }
}
