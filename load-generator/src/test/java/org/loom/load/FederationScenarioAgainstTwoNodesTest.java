package org.loom.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.launcher.EmbeddedNodeSettings;
import org.loom.launcher.LoomNode;
import org.loom.launcher.NodeStartupException;
import org.loom.protocol.json.LoomJson;

import tools.jackson.databind.JsonNode;

/**
 * The federation scenario between two whole nodes started in this JVM, each with its own identity domain and each
 * registered in the other's node registry, as docs/benchmarks.md sets them up: every envelope the target accepted
 * must be found on the peer.
 */
class FederationScenarioAgainstTwoNodesTest {

    private static final String ADMIN_TOKEN = "federation-scenario-admin";

    @TempDir
    static Path dataDir;

    private static LoomNode target;
    private static LoomNode peer;

    @BeforeAll
    static void startNodes() throws Exception {
        target = startOnFreePort("target");
        peer = startOnFreePort("peer");
        bootstrap(target, peer);
        bootstrap(peer, target);
    }

    @AfterAll
    static void stopNodes() {
        if (peer != null) {
            peer.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void everyEnvelopeTheTargetAcceptedReachesThePeer() throws Exception {
        Path reportFile = dataDir.resolve("federation.json");
        int status = LoadGenerator.run(List.of("--scenario", "federation", "--target", target.gatewayUrl(),
                "--peer", peer.gatewayUrl(), "--identities", "4", "--envelopes", "40", "--concurrency", "4",
                "--readback", "40", "--output", reportFile.toString()));
        JsonNode report = LoomJson.parse(Files.readString(reportFile));

        assertThat(status).as("exit status").isZero();
        assertThat(report.at("/write/accepted").asInt()).isEqualTo(40);
        assertThat(report.at("/federation/supported").asBoolean()).isTrue();
        assertThat(report.at("/federation/peer_node_id").asString()).isEqualTo("node-peer.test");
        assertThat(report.at("/federation/expected").asInt()).isEqualTo(40);
        assertThat(report.at("/federation/delivered").asInt()).isEqualTo(40);
        assertThat(report.at("/federation/delivered_per_second").asDouble()).isPositive();
        assertThat(report.at("/verified").asBoolean()).isTrue();
    }

    /**
     * Starts a node whose settings name its port, on a port free just before it starts; again on another port if
     * something took that one first (the ports of the node started just before come from the same range).
     */
    private static LoomNode startOnFreePort(String name) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return LoomNode.start(EmbeddedNodeSettings.fromEnvironment(settings(name, freePort())));
            } catch (NodeStartupException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("already in use")) {
                    throw e;
                }
            }
        }
    }

    private static Map<String, String> settings(String name, int port) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "LOOM_DATA_DIR", dataDir.resolve(name).toString(),
                "PORT", Integer.toString(port),
                "LOOM_NODE_ID", "node-" + name + ".test",
                "LOOM_DOMAIN", name + ".test",
                "LOOM_PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "LOOM_ADMIN_TOKEN", ADMIN_TOKEN,
                "LOOM_OUTBOUND_ALLOW_PRIVATE", "true"));
        // A slow build machine must not turn a delivery into a retry half a minute later.
        settings.putAll(Map.of(
                "LOOM_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "200",
                "LOOM_FEDERATION_OUTBOX_BASE_BACKOFF_MS", "500",
                "LOOM_FEDERATION_OUTBOX_MAX_BACKOFF_MS", "2000"));
        return settings;
    }

    /** Registers {@code other} in {@code node}'s registry from its node document. */
    private static void bootstrap(LoomNode node, LoomNode other) throws IOException, InterruptedException {
        String body = LoomJson.mapper().createObjectNode()
                .put("node_document_url", other.gatewayUrl() + "/.well-known/loom.json")
                .put("allow_insecure_http", true)
                .put("timeout_ms", 20000)
                .toString();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(node.gatewayUrl() + "/v1/federation/nodes/bootstrap"))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("x-loom-admin-token", ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
