package org.loom.load;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.loom.protocol.json.LoomJson;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything one run measured, as JSON for the record and as a short text summary for the terminal.
 *
 * @param options         what was asked
 * @param startedAt       when the run began (node time format)
 * @param nodeId          the target's {@code node_id}, empty when it serves no node document
 * @param setupSeconds    registering and authenticating the identities
 * @param presignSeconds  building and signing every envelope
 * @param write           the write phase, empty when the scenario did not get to write
 * @param renders         thread renders
 * @param searches        searches
 * @param readback        the read-back of accepted ids
 * @param federation      the federation delivery, empty outside that scenario
 * @param runCpuShare     the generator's share of the machine over the whole run
 */
public record LoadReport(
        LoadOptions options,
        String startedAt,
        String nodeId,
        double setupSeconds,
        double presignSeconds,
        Optional<WriteResult> write,
        ReadResult renders,
        ReadResult searches,
        Optional<ReadbackResult> readback,
        Optional<FederationResult> federation,
        double runCpuShare) {

    public LoadReport {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(readback, "readback");
        Objects.requireNonNull(federation, "federation");
    }

    /** Whether everything the run checked held: every sampled accepted id was found again, every render was right. */
    public boolean verified() {
        return readback.map(ReadbackResult::proven).orElse(true) && renders.mismatches() == 0
                && federation.map(result -> !result.supported() || result.delivered() == result.expected())
                        .orElse(true);
    }

    public ObjectNode toJson() {
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("tool", "loom-load").put("started_at", startedAt).put("scenario", options.scenario().label());
        json.put("target", options.target().toString()).put("node_id", nodeId);
        options.peer().ifPresent(peer -> json.put("peer", peer.toString()));
        json.put("note", options.note());
        ObjectNode settings = json.putObject("settings");
        settings.put("identities", options.identities())
                .put("envelopes", options.envelopes())
                .put("mix", options.mix().toString())
                .put("depth", options.depth())
                .put("width", options.width())
                .put("recipients", options.recipients())
                .put("thread_size", options.threadSize())
                .put("concurrency", options.concurrency())
                .put("read_concurrency", options.readConcurrency())
                .put("rate", options.rate())
                .put("text_bytes", options.textBytes())
                .put("seed", options.seed())
                .put("timeout_ms", options.timeout().toMillis());
        ObjectNode machine = json.putObject("generator_machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors())
                .put("max_heap_bytes", Runtime.getRuntime().maxMemory())
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"))
                .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            machine.put("memory_bytes", os.getTotalMemorySize());
        }
        json.put("setup_seconds", LatencySummary.round(setupSeconds));
        json.put("presign_seconds", LatencySummary.round(presignSeconds));
        write.ifPresent(result -> {
            ObjectNode node = json.putObject("write");
            node.put("route", "POST /v1/envelopes")
                    .put("submitted", result.submitted())
                    .put("accepted", result.accepted())
                    .put("rate_limited", result.rateLimited())
                    .put("transport_errors", result.transportErrors());
            ObjectNode refused = node.putObject("refused");
            result.refusals().forEach(refused::put);
            node.put("seconds", LatencySummary.round(result.seconds()))
                    .put("throughput_per_second", LatencySummary.round(result.throughput()))
                    .put("second_half_throughput_per_second", LatencySummary.round(result.secondHalfThroughput()))
                    .put("latency_measured_from", options.paced() ? "due time" : "send time");
            result.latency().writeTo(node.putObject("latency_ms"));
            node.put("generator_cpu_share", LatencySummary.round(result.cpuShare()));
            ArrayNode timeline = node.putArray("timeline");
            for (WriteResult.Interval interval : result.timeline()) {
                timeline.addObject().put("start_second", LatencySummary.round(interval.startSecond()))
                        .put("seconds", LatencySummary.round(interval.seconds()))
                        .put("accepted", interval.accepted());
            }
        });
        ObjectNode reads = json.putObject("reads");
        writeRead(reads.putObject("thread_render"), renders);
        writeRead(reads.putObject("search"), searches);
        readback.ifPresent(result -> {
            ObjectNode node = json.putObject("readback");
            node.put("sampled", result.sampled()).put("found", result.found()).put("missing", result.missing())
                    .put("errors", result.errors());
            result.missingIds().forEach(node.putArray("missing_ids")::add);
        });
        federation.ifPresent(result -> {
            ObjectNode node = json.putObject("federation");
            node.put("supported", result.supported());
            if (!result.supported()) {
                node.put("reason", "not supported by this node");
                return;
            }
            node.put("peer_node_id", result.peerNodeId())
                    .put("expected", result.expected())
                    .put("delivered", result.delivered())
                    .put("seconds", LatencySummary.round(result.seconds()))
                    .put("delivered_per_second", LatencySummary.round(result.rate()));
        });
        json.put("generator_cpu_share", LatencySummary.round(runCpuShare));
        json.put("verified", verified());
        return json;
    }

    /** The text printed at the end of a run. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        line(text, "LOOM load run: %s against %s (node %s), %s", options.scenario().label(), options.target(),
                nodeId.isEmpty() ? "unknown" : nodeId, startedAt);
        line(text, "  setup %.1f s (%d identities), pre-signing %.1f s", setupSeconds, options.identities(),
                presignSeconds);
        write.ifPresent(result -> {
            line(text, "  writes   POST /v1/envelopes: %d submitted, %d accepted (201), %d rate-limited (429),"
                    + " %d other refusals %s, %d without answer", result.submitted(), result.accepted(),
                    result.rateLimited(), result.refusals().values().stream().mapToInt(Integer::intValue).sum(),
                    result.refusals(), result.transportErrors());
            line(text, "           %.1f accepted/s over %.1f s, %s, concurrency %d", result.throughput(),
                    result.seconds(), options.paced() ? "paced at " + options.rate() + "/s" : "flat out",
                    options.concurrency());
            if (result.timeline().size() >= 2) {
                line(text, "           %.1f accepted/s over the second half of the phase", result.secondHalfThroughput());
            }
            line(text, "           latency (201): %s", result.latency().line());
            line(text, "           generator CPU: %s of the machine", share(result.cpuShare()));
            if (result.rateLimited() > 0) {
                line(text, "           the node's rate limit refused %d writes: run it with"
                        + " LOOM_RATE_LIMIT_SENSITIVE_MAX=0 LOOM_RATE_LIMIT_DEFAULT_MAX=0", result.rateLimited());
            }
        });
        if (renders.requests() > 0 || searches.requests() > 0) {
            line(text, "  reads with %d concurrent clients", options.readConcurrency());
        }
        readLine(text, "thread render", renders);
        readLine(text, "search", searches);
        readback.ifPresent(result -> line(text, "  readback %d of %d sampled accepted ids found (%d missing, %d errors)",
                result.found(), result.sampled(), result.missing(), result.errors()));
        federation.ifPresent(result -> {
            if (result.supported()) {
                line(text, "  federation to %s: %d of %d delivered in %.1f s from the first submission (%.1f/s)",
                        result.peerNodeId(), result.delivered(), result.expected(), result.seconds(), result.rate());
            } else {
                line(text, "  federation: not supported by this node");
            }
        });
        line(text, "  generator CPU over the run: %s of the machine; %s", share(runCpuShare),
                verified() ? "verified" : "NOT VERIFIED (see above)");
        return text.toString();
    }

    private static void writeRead(ObjectNode node, ReadResult read) {
        node.put("route", read.route()).put("supported", read.supported());
        if (!read.supported()) {
            node.put("reason", "not supported by this node");
            return;
        }
        if (read.requests() == 0) {
            node.put("run", false);
            return;
        }
        node.put("requests", read.requests()).put("ok", read.ok()).put("mismatches", read.mismatches());
        ObjectNode failures = node.putObject("failures");
        read.failures().forEach(failures::put);
        read.latency().writeTo(node.putObject("latency_ms"));
    }

    private static void readLine(StringBuilder text, String name, ReadResult read) {
        if (!read.supported()) {
            line(text, "  %-8s %s: not supported by this node", name, read.route());
        } else if (read.requests() > 0) {
            line(text, "  %-8s %s: %d of %d right, %d wrong, failures %s; %s", name, read.route(), read.ok(),
                    read.requests(), read.mismatches(), read.failures(), read.latency().line());
        }
    }

    private static String share(double share) {
        return share < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    private static void line(StringBuilder text, String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
