package org.loom.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.json.LoomJson;
import org.loom.testsupport.client.NodeClient;

import tools.jackson.databind.node.ObjectNode;

/**
 * Another LOOM node for federation tests: the embedded node ({@code loom-node.jar}) in a process of its own, with its
 * own broker and database, on a domain of its own, with a node key the test knows. It takes deliveries from any node
 * the test registers with it, without the rate and abuse limits a flood of test deliveries would trip.
 */
final class PeerNode implements AutoCloseable {

    static final String KEY_ID = "k_node_sign_peer_1";
    private static final List<String> JVM_FLAGS = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError");
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private final String domain;
    private final int port = ChildJvm.freePort();
    private final SigningKey key = SigningKey.generate();
    private final String adminToken = "peer-admin-" + System.nanoTime();
    private final ChildJvm process;

    private PeerNode(String domain, Path workDir) {
        this.domain = domain;
        Map<String, String> environment = Map.ofEntries(
                Map.entry("PORT", String.valueOf(port)),
                Map.entry("LOOM_DATA_DIR", workDir.resolve("data").toString()),
                Map.entry("LOOM_DOMAIN", domain),
                Map.entry("LOOM_NODE_ID", domain),
                Map.entry("LOOM_PUBLIC_BASE_URL", baseUrl()),
                Map.entry("LOOM_ADMIN_TOKEN", adminToken),
                Map.entry("LOOM_NODE_SIGNING_PRIVATE_KEY_PEM", key.toPkcs8Pem()),
                Map.entry("LOOM_NODE_SIGNING_KEY_ID", KEY_ID),
                Map.entry("LOOM_OUTBOUND_ALLOW_PRIVATE", "true"),
                Map.entry("LOOM_RATE_LIMIT_DEFAULT_MAX", "0"),
                Map.entry("LOOM_RATE_LIMIT_SENSITIVE_MAX", "0"),
                Map.entry("LOOM_FEDERATION_NODE_RATE_MAX", "1000000"),
                Map.entry("LOOM_FEDERATION_GLOBAL_RATE_MAX", "1000000"),
                Map.entry("LOOM_FEDERATION_ABUSE_AUTO_POLICY_ENABLED", "false"));
        this.process = ChildJvm.start("peer-node", ServiceJars.embeddedNodeJar(), JVM_FLAGS, environment,
                workDir.resolve("peer-node.log"));
    }

    /** Starts the peer; call {@link #awaitReady()} before using it. */
    static PeerNode start(String domain, Path workDir) {
        return new PeerNode(domain, workDir);
    }

    PeerNode awaitReady() {
        process.awaitHttpOk(baseUrl() + "/.well-known/loom.json", READY_TIMEOUT);
        return this;
    }

    String domain() {
        return domain;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    NodeClient client() {
        return new NodeClient(baseUrl());
    }

    Map<String, String> asAdmin() {
        return Map.of("x-loom-admin-token", adminToken);
    }

    /** What another node's registry needs to know of this one. */
    ObjectNode registration() {
        return LoomJson.mapper().createObjectNode()
                .put("node_id", domain).put("domain", domain)
                .put("key_id", KEY_ID)
                .put("public_key_pem", key.verifyingKey().toSpkiPem())
                .put("deliver_url", baseUrl() + "/v1/federation/deliver")
                .put("api_url", baseUrl() + "/v1");
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
