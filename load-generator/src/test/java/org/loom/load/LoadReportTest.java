package org.loom.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.loom.protocol.json.LoomJson;

import tools.jackson.databind.JsonNode;

class LoadReportTest {

    private static final LoadOptions OPTIONS = LoadOptions.parse(List.of("--rate", "500", "--note", "acks=all"));

    private static LoadReport report(ReadbackResult readback, ReadResult search) {
        WriteResult write = new WriteResult(1_000, 950, 40, Map.of("ENVELOPE_DUPLICATE", 10), 0, 2.0,
                new LatencySummary(950, 4.5, 3.0, 8.0, 20.0, 45.0, 60.0), 0.25, List.of("env_1"),
                List.of(new WriteResult.Interval(0.0, 0.5, 150), new WriteResult.Interval(0.5, 0.5, 250),
                        new WriteResult.Interval(1.0, 0.5, 250), new WriteResult.Interval(1.5, 0.5, 300)));
        ReadResult renders = new ReadResult(ReadRun.RENDER_ROUTE, true, 100, 100, 0, Map.of(),
                new LatencySummary(100, 2, 1, 3, 9, 9, 9));
        return new LoadReport(OPTIONS, "2026-12-03T21:00:00.000Z", "node.test", 1.0, 0.5, Optional.of(write),
                renders, search, Optional.of(readback), Optional.empty(), 0.3);
    }

    @Test
    void jsonCarriesThroughputPercentilesRateLimitsAndTheReadBack() {
        JsonNode json = LoomJson.parse(LoomJson.write(report(new ReadbackResult(500, 500, 0, 0, List.of()),
                ReadResult.unsupported(ReadRun.SEARCH_ROUTE)).toJson()));

        assertThat(json.at("/write/accepted").asInt()).isEqualTo(950);
        assertThat(json.at("/write/rate_limited").asInt()).isEqualTo(40);
        assertThat(json.at("/write/refused/ENVELOPE_DUPLICATE").asInt()).isEqualTo(10);
        assertThat(json.at("/write/throughput_per_second").asDouble()).isEqualTo(475.0);
        assertThat(json.at("/write/second_half_throughput_per_second").asDouble()).isEqualTo(550.0);
        assertThat(json.at("/write/timeline/3/start_second").asDouble()).isEqualTo(1.5);
        assertThat(json.at("/write/timeline/3/accepted").asInt()).isEqualTo(300);
        assertThat(report(new ReadbackResult(1, 1, 0, 0, List.of()), ReadResult.skipped(ReadRun.SEARCH_ROUTE))
                .summary()).contains("550.0 accepted/s over the second half of the phase");
        assertThat(json.at("/write/latency_ms/p99").asDouble()).isEqualTo(20.0);
        assertThat(json.at("/write/latency_measured_from").asString()).isEqualTo("due time");
        assertThat(json.at("/write/generator_cpu_share").asDouble()).isEqualTo(0.25);
        assertThat(json.at("/reads/thread_render/latency_ms/p50").asDouble()).isEqualTo(1.0);
        assertThat(json.at("/reads/search/supported").asBoolean()).isFalse();
        assertThat(json.at("/reads/search/reason").asString()).isEqualTo("not supported by this node");
        assertThat(json.at("/readback/found").asInt()).isEqualTo(500);
        assertThat(json.at("/settings/rate").asDouble()).isEqualTo(500.0);
        assertThat(json.at("/note").asString()).isEqualTo("acks=all");
        assertThat(json.at("/generator_machine/cores").asInt()).isPositive();
        assertThat(json.at("/verified").asBoolean()).isTrue();
    }

    @Test
    void aMissingAcceptedIdMeansTheRunIsNotVerified() {
        LoadReport report = report(new ReadbackResult(500, 499, 1, 0, List.of("env_lost")),
                ReadResult.skipped(ReadRun.SEARCH_ROUTE));

        assertThat(report.verified()).isFalse();
        assertThat(report.toJson().at("/readback/missing_ids/0").asString()).isEqualTo("env_lost");
        assertThat(report.summary()).contains("NOT VERIFIED", "499 of 500", "40 rate-limited (429)",
                "LOOM_RATE_LIMIT_SENSITIVE_MAX=0");
    }

    @Test
    void summaryNamesAnUnsupportedRoute() {
        LoadReport report = report(new ReadbackResult(1, 1, 0, 0, List.of()),
                ReadResult.unsupported(ReadRun.SEARCH_ROUTE));

        assertThat(report.summary()).contains("GET /v1/search: not supported by this node");
    }

    @Test
    void aReadTheScenarioDidNotRunIsMarkedAsNotRun() {
        JsonNode json = report(new ReadbackResult(1, 1, 0, 0, List.of()), ReadResult.skipped(ReadRun.SEARCH_ROUTE))
                .toJson();

        assertThat(json.at("/reads/search/run").asBoolean()).isFalse();
        assertThat(json.at("/reads/search/latency_ms").isMissingNode()).isTrue();
    }
}
