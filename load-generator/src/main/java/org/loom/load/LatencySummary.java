package org.loom.load;

import org.HdrHistogram.Histogram;

import tools.jackson.databind.node.ObjectNode;

/**
 * Percentiles of one kind of request, in milliseconds, taken from a histogram recorded in microseconds.
 *
 * @param count how many requests were recorded
 */
public record LatencySummary(long count, double mean, double p50, double p90, double p99, double p999, double max) {

    static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

    /** A histogram that records microseconds and grows as needed, with three significant digits. */
    static Histogram newHistogram() {
        Histogram histogram = new Histogram(3);
        histogram.setAutoResize(true);
        return histogram;
    }

    static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(
                micros.getTotalCount(),
                micros.getMean() / 1000.0,
                micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(90) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0,
                micros.getValueAtPercentile(99.9) / 1000.0,
                micros.getMaxValue() / 1000.0);
    }

    void writeTo(ObjectNode json) {
        json.put("count", count)
                .put("mean", round(mean))
                .put("p50", round(p50))
                .put("p90", round(p90))
                .put("p99", round(p99))
                .put("p99_9", round(p999))
                .put("max", round(max));
    }

    /** One line for the printed summary. */
    String line() {
        return String.format(java.util.Locale.ROOT, "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms"
                + " (%d requests)", p50, p90, p99, p999, max, count);
    }

    static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
