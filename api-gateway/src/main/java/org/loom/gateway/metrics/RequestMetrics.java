package org.loom.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the gateway counts about the requests it serves, kept both as Micrometer meters (for {@code /metrics}) and as
 * plain totals (for the {@code metrics} part of {@code /v1/admin/status}, in the reference node's shape).
 *
 * <p>Counts are per gateway replica; a scrape of every replica adds them up.
 */
public final class RequestMetrics {

    private final Clock clock;
    private final Instant startedAt;
    private final MeterRegistry registry;
    private final AtomicLong inFlight = new AtomicLong();
    private final LongAdder total = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder durationSumMs = new LongAdder();
    private final LongAccumulator durationMaxMs = new LongAccumulator(Math::max, 0);
    private final Map<String, LongAdder> statusCounts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errorCounts = new ConcurrentHashMap<>();
    private final DistributionSummary duration;

    public RequestMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.startedAt = clock.instant();
        FunctionCounter.builder("loom.requests", total, LongAdder::doubleValue)
                .description("Requests received by the gateway").register(registry);
        Gauge.builder("loom.requests.in.flight", inFlight, AtomicLong::doubleValue)
                .description("Requests being served now").register(registry);
        Gauge.builder("loom.uptime.seconds", this, metrics -> metrics.uptimeMs() / 1000.0)
                .description("Seconds since the gateway started").register(registry);
        duration = DistributionSummary.builder("loom.request.duration.ms")
                .description("Time from receiving a request to its complete answer, in milliseconds")
                .register(registry);
    }

    /** Marks a request as started. */
    void started() {
        total.increment();
        inFlight.incrementAndGet();
    }

    /**
     * Marks a request as answered.
     *
     * @param errorCode the protocol error code of the answer, or null for a success
     */
    void finished(int status, String errorCode, long durationMs) {
        inFlight.decrementAndGet();
        completed.increment();
        String statusClass = (status / 100) + "xx";
        statusCounts.computeIfAbsent(statusClass, key -> new LongAdder()).increment();
        Counter.builder("loom.responses").tag("status_class", statusClass)
                .description("Answers by status class").register(registry).increment();
        if (errorCode != null) {
            errorCounts.computeIfAbsent(errorCode, key -> new LongAdder()).increment();
            Counter.builder("loom.errors").tag("code", errorCode)
                    .description("Protocol error answers by code").register(registry).increment();
        }
        durationSumMs.add(durationMs);
        durationMaxMs.accumulate(durationMs);
        duration.record(durationMs);
    }

    /**
     * Counts the outcome of an envelope or thread-op submission: accepted when stored, otherwise rejected with the
     * protocol error code it was answered with.
     */
    void envelopeOutcome(int status, String errorCode) {
        if (status == 201) {
            Counter.builder("loom.envelopes.accepted").description("Envelopes and thread ops accepted")
                    .register(registry).increment();
        } else {
            Counter.builder("loom.envelopes.rejected").tag("code", errorCode == null ? "NONE" : errorCode)
                    .description("Envelope and thread-op submissions refused, by error code")
                    .register(registry).increment();
        }
    }

    long uptimeMs() {
        return Math.max(0, clock.millis() - startedAt.toEpochMilli());
    }

    /** The totals in the reference node's {@code metrics} shape. */
    public ObjectNode toJson() {
        ObjectNode json = LoomJson.mapper().createObjectNode();
        long uptime = uptimeMs();
        json.put("started_at", Timestamps.format(startedAt));
        json.put("uptime_ms", uptime);
        json.put("uptime_s", uptime / 1000);
        json.put("requests_total", total.sum());
        json.put("requests_in_flight", inFlight.get());
        json.put("requests_completed", completed.sum());
        ObjectNode statuses = json.putObject("status_counts");
        new TreeMap<>(statusCounts).forEach((key, count) -> statuses.put(key, count.sum()));
        ObjectNode errors = json.putObject("error_counts");
        new TreeMap<>(errorCounts).forEach((key, count) -> errors.put(key, count.sum()));
        json.put("request_duration_ms_sum", durationSumMs.sum());
        json.put("request_duration_ms_count", completed.sum());
        json.put("request_duration_ms_max", durationMaxMs.get());
        return json;
    }
}
