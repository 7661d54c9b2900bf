package org.loom.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.launcher.EmbeddedNodeSettings;
import org.loom.launcher.LoomNode;
import org.loom.protocol.json.LoomJson;

import tools.jackson.databind.JsonNode;

/**
 * The command run briefly against a whole node started in this JVM (the build sets
 * {@code LOOM_RATE_LIMIT_SENSITIVE_MAX=0} for it, as docs/benchmarks.md tells operators to): everything it reports
 * accepted must be found again. The node shares this JVM, so the CPU shares it reports here include the node's.
 */
class LoadGeneratorAgainstEmbeddedNodeTest {

    @TempDir
    static Path dataDir;

    private static LoomNode node;

    @BeforeAll
    static void startNode() {
        node = LoomNode.start(EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.resolve("node").toString(),
                "PORT", "0")));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static JsonNode runCommand(Path report, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("--target", node.gatewayUrl(),
                "--output", report.toString()));
        command.addAll(List.of(args));
        assertThat(LoadGenerator.run(command)).as("exit status").isZero();
        return LoomJson.parse(Files.readString(report));
    }

    @Test
    void everyEnvelopeTheNodeAcceptedOnAMixedIngestRunIsReadBack() throws Exception {
        JsonNode report = runCommand(dataDir.resolve("ingest.json"),
                "--identities", "6", "--envelopes", "300", "--mix", "new:40,deep:30,wide:30", "--depth", "8",
                "--width", "15", "--concurrency", "8", "--renders", "20", "--searches", "5", "--readback", "300");

        assertThat(report.at("/write/submitted").asInt()).isEqualTo(300);
        assertThat(report.at("/write/accepted").asInt()).isEqualTo(300);
        assertThat(report.at("/write/rate_limited").asInt()).isZero();
        assertThat(report.at("/write/latency_ms/count").asInt()).isEqualTo(300);
        assertThat(report.at("/write/latency_ms/p99").asDouble()).isPositive();
        assertThat(report.at("/readback/sampled").asInt()).isEqualTo(300);
        assertThat(report.at("/readback/found").asInt()).isEqualTo(300);
        assertThat(report.at("/reads/thread_render/ok").asInt()).isEqualTo(20);
        JsonNode search = report.at("/reads/search");
        // Search is a route a node may not serve yet: then it is reported, not counted as failures.
        if (search.path("supported").asBoolean()) {
            assertThat(search.path("failures").size()).isZero();
        } else {
            assertThat(search.path("reason").asString()).isEqualTo("not supported by this node");
        }
        assertThat(report.at("/verified").asBoolean()).isTrue();
    }

    @Test
    void aLongThreadIsRenderedWholeInCanonicalOrder() throws Exception {
        JsonNode report = runCommand(dataDir.resolve("thread.json"),
                "--scenario", "render-thread", "--identities", "4", "--thread-size", "100", "--recipients", "2",
                "--concurrency", "8", "--renders", "5", "--readback", "50");

        assertThat(report.at("/write/accepted").asInt()).isEqualTo(100);
        assertThat(report.at("/reads/thread_render/ok").asInt()).isEqualTo(5);
        assertThat(report.at("/reads/thread_render/mismatches").asInt()).isZero();
        assertThat(report.at("/readback/found").asInt()).isEqualTo(50);
    }
}
